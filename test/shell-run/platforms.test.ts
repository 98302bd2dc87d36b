/**
 * The bundle's macOS branches under the Electron stand-in reporting darwin (issue 14, fix 3 and 7):
 * no dock icon, `activate` (launching the running app again) opens the window, and a start at
 * login (the system's wasOpenedAtLogin) stays in the menu bar once a portal is connected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appHome, launchApp, type AppHome, type RunningApp } from '../electron-standin/driver';
import { startPortalSim } from '../portal-sim';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function macHome(): AppHome {
  const home = appHome({ B24_STANDIN_PLATFORM: 'darwin' });
  cleanups.push(() => home.cleanup());
  return home;
}

function launch(home: AppHome, env: NodeJS.ProcessEnv = {}): RunningApp {
  const app = launchApp(home, { env });
  cleanups.push(() => app.kill());
  return app;
}

describe('macOS branches (stand-in, darwin)', () => {
  it('hides the dock icon, and activate opens the window', async () => {
    const app = launch(macHome());
    await app.event('window-show');
    await app.event('dock-hide');
    await app.command('closeWindow');
    await app.command('activate');
    expect((await app.state()).windows).toEqual([expect.objectContaining({ visible: true })]);
  });

  it('opened at login with a portal connected, it stays in the menu bar', async () => {
    const portal = await startPortalSim();
    cleanups.push(() => portal.close());
    const home = macHome();
    const first = launch(home);
    await first.event('window-show');
    expect(await first.command('invoke', 'b24:accounts:connect-webhook', { url: portal.webhookUrl })).toMatchObject({ ok: true });
    // On macOS the menu pops up on a right click (the left click opens the window).
    await first.command('rightClickTray');
    await first.command('clickTrayItem', 'Quit B24 Notify');
    expect(await first.exitCode).toBe(0);
    const atLogin = launch(home, { B24_STANDIN_OPENED_AT_LOGIN: '1' });
    await atLogin.event('tray-created');
    expect(await atLogin.command('invoke', 'b24:state:get', null)).toMatchObject({ ok: true });
    expect((await atLogin.state()).windows).toEqual([expect.objectContaining({ visible: false })]);
  });
});
