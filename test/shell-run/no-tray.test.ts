/**
 * A Linux desktop with no tray (issue 17): the real main bundle under the Electron stand-in, on a
 * private session bus. Without a StatusNotifierWatcher the window opens at launch, even when started
 * at login with a portal connected, and the user is told once what to do; with a watcher and a
 * registered host (KDE, GNOME with the AppIndicator extension) the app stays in the tray.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_TRAY_NOTICE } from '../../main/core/app/tray-presence';
import { appHome, launchApp, type AppHome, type RunningApp } from '../electron-standin/driver';
import { canStartSessionBus, NO_SESSION_BUS, PYTHON, startSessionBus, type DbusSession } from '../harness/dbus-session';
import { pollUntil, spawnGroup } from '../harness/processes';
import { startPortalSim } from '../portal-sim';

const withBus = canStartSessionBus();
if (!withBus) console.log(`no-tray.test.ts ${NO_SESSION_BUS}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function bus(): Promise<DbusSession> {
  const session = await startSessionBus();
  cleanups.push(() => session.close());
  return session;
}

/** A home where the app has connected the simulator once and quit, on `busAddress`. */
async function homeWithPortal(busAddress: string): Promise<{ home: AppHome; noticesSeen: string[] }> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  const home = appHome({ DBUS_SESSION_BUS_ADDRESS: busAddress });
  cleanups.push(() => home.cleanup());
  const first = launch(home);
  await first.event('window-show');
  expect(await first.command('invoke', 'b24:accounts:connect-webhook', { url: portal.webhookUrl })).toMatchObject({ ok: true });
  const noticesSeen = await trayChecked(first);
  await first.command('clickTrayItem', 'Quit B24 Notify');
  expect(await first.exitCode).toBe(0);
  return { home, noticesSeen };
}

/**
 * The notices once the app has checked for a tray host: its log says when (a barrier, not a wait).
 */
async function trayChecked(app: RunningApp): Promise<string[]> {
  await pollUntil(() => /tray host: (present|absent|unknown)/.test(app.output()), 'the tray check in the log');
  return notices(app);
}

function launch(home: AppHome, args: string[] = []): RunningApp {
  const app = launchApp(home, { args });
  cleanups.push(() => app.kill());
  return app;
}

const notices = async (app: RunningApp): Promise<string[]> => {
  const state = await app.command<{ value: { snapshot: { notices?: { message: string }[] } } }>('invoke', 'b24:state:get', null);
  return (state.value.snapshot.notices ?? []).map((notice) => notice.message);
};

describe.skipIf(!withBus)('a desktop without a tray (stand-in, Linux, private bus)', () => {
  it('opens the window even at login, and says once why and what to do', async () => {
    const session = await bus();
    const { home, noticesSeen } = await homeWithPortal(session.address);
    expect(noticesSeen).toEqual([NO_TRAY_NOTICE]);
    const atLogin = launch(home, ['--hidden']);
    await atLogin.event('window-show');
    // Told once: this launch opens the window again, without the notice.
    expect(await trayChecked(atLogin)).toEqual([]);
  });

  it('with a tray host on the bus, started at login it stays in the tray', async () => {
    const session = await bus();
    const watcher = spawnGroup(PYTHON, ['-m', 'dbusmock', '--session', 'org.kde.StatusNotifierWatcher', '/StatusNotifierWatcher', 'org.kde.StatusNotifierWatcher'], { env: session.env });
    cleanups.push(() => watcher.stop());
    await pollUntil(async () => (await session.connection.nameOwner('org.kde.StatusNotifierWatcher')) !== undefined, 'the watcher on the bus');
    await session.connection.call({
      destination: 'org.kde.StatusNotifierWatcher',
      path: '/StatusNotifierWatcher',
      interface: 'org.freedesktop.DBus.Mock',
      member: 'AddProperty',
      signature: 'ssv',
      body: ['org.kde.StatusNotifierWatcher', 'IsStatusNotifierHostRegistered', ['b', true]],
    });
    const { home, noticesSeen } = await homeWithPortal(session.address);
    expect(noticesSeen).toEqual([]);
    const atLogin = launch(home, ['--hidden']);
    expect(await trayChecked(atLogin)).toEqual([]);
    expect(atLogin.events.map((event) => event.name)).not.toContain('window-show');
  });
});
