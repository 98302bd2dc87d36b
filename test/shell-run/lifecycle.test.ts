/**
 * The real built main bundle (dist/main, built by `npm run build`) run in a child process under
 * the semantic Electron stand-in (test/electron-standin), driven as a user drives the app: first launch, the tray menu, closing
 * the window, Quit, a second instance, start at login, and IPC from a window whose install path
 * holds a space and a %. Each rule of Electron it relies on is cited in electron.cjs.
 * Needs dist/ (`npm test` builds first).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appHome, copyOfApp, launchApp, type AppHome, type RunningApp } from '../electron-standin/driver';
import { pollUntil } from '../harness/processes';
import { startPortalSim } from '../portal-sim';

const running: RunningApp[] = [];
const homes: AppHome[] = [];
afterEach(async () => {
  // Each app has exited before its home is removed: a dying app still writes there.
  for (const app of running.splice(0)) await app.kill();
  for (const home of homes.splice(0)) home.cleanup();
});

function home(): AppHome {
  const made = appHome();
  homes.push(made);
  return made;
}

function launch(where: AppHome, options: Parameters<typeof launchApp>[1] = {}): RunningApp {
  const app = launchApp(where, options);
  running.push(app);
  return app;
}

/** The process's exit code, or 'still running' after `ms` (a quit that never quits). */
function exitWithin(app: RunningApp, ms: number): Promise<number | null | 'still running'> {
  return Promise.race([app.exitCode, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref())]);
}

const TRAY_QUIT = 'Quit B24 Notify';

/** A home where the app has run once, connected `webhookUrl` from its window, and quit. */
async function homeWithPortal(webhookUrl: string): Promise<AppHome> {
  const where = home();
  const first = launch(where);
  await first.event('window-show');
  expect(await first.command('invoke', 'b24:accounts:connect-webhook', { url: webhookUrl })).toMatchObject({ ok: true });
  await first.command('clickTrayItem', TRAY_QUIT);
  expect(await exitWithin(first, 5_000)).toBe(0);
  return where;
}

describe('the main bundle under the Electron stand-in', () => {
  it('first launch with nothing connected: the window shows, the tray has its menu, no default application menu', async () => {
    const app = launch(home());
    await app.event('window-show');
    const state = await app.state();
    expect(state.windows).toEqual([{ visible: true, url: expect.stringMatching(/^file:\/\/.*\/dist\/renderer\/index\.html$/) }]);
    expect(state.trays[0]?.menu).toEqual(['Open B24 Notify', 'Pause notifications', 'Do not disturb', 'Settings…', 'Open logs folder', TRAY_QUIT]);
    expect(state.applicationMenu).toBeNull();
  });

  it('shows the tray and the window while the system keyring is still being unlocked (safeStorage pending)', async () => {
    const app = launch(home(), { env: { B24_STANDIN_SAFE_STORAGE: 'pending' } });
    await app.event('window-show');
    await app.event('tray-menu');
    // The window works meanwhile; only sealing or opening a secret waits.
    expect(await app.command('invoke', 'b24:state:get', null)).toMatchObject({ ok: true });
    expect(await app.command('invoke', 'b24:settings:get', null)).toMatchObject({ ok: true, value: { secretProtection: 'pending' } });
  });

  it('seals a secret again when safeStorage says it should (a rotated key)', async () => {
    const portal = await startPortalSim();
    try {
      const where = await homeWithPortal(portal.webhookUrl);
      const settingsFile = join(where.dir, '.config', 'B24 Notify', 'settings.json');
      const sealedUnder = (version: string): boolean => readFileSync(settingsFile, 'utf8').includes(Buffer.from(`standin-sealed-v${version}:`).toString('base64'));
      expect(sealedUnder('1')).toBe(true);

      const rotated = launch(where, { env: { B24_STANDIN_KEY_VERSION: '2' } });
      await rotated.event('window-show');
      // The portal starts (its secret opens under the old key) and the secret is sealed again.
      await pollUntil(() => sealedUnder('2'), 'the secret sealed with the new key');
      expect(sealedUnder('1')).toBe(false);
    } finally {
      await portal.close();
    }
  });

  it('electron-store’s own sync channel tells a foreign frame nothing', async () => {
    const app = launch(home());
    await app.event('window-show');
    expect(await app.command('sendSync', 'electron-store-get-data', 'https://evil.example/')).toBeNull();
  });

  it('closing the window hides it and the app stays in the tray; the tray opens it again', async () => {
    const app = launch(home());
    await app.event('window-show');
    await app.command('closeWindow');
    expect((await app.state()).windows).toEqual([expect.objectContaining({ visible: false })]);
    await app.command('clickTray');
    expect((await app.state()).windows).toEqual([expect.objectContaining({ visible: true })]);
  });

  it('with hide-on-blur, a click on the tray icon closes the open window instead of reopening it', async () => {
    const app = launch(home());
    await app.event('window-show');
    expect(await app.command('invoke', 'b24:settings:update', { hideOnBlur: true })).toMatchObject({ ok: true });
    // The click takes the focus first (blur hides the window), then the tray reports it.
    await app.command('blurWindow');
    await app.command('clickTray');
    expect((await app.state()).windows).toEqual([expect.objectContaining({ visible: false })]);
    // The next click opens it.
    await app.command('clickTray');
    expect((await app.state()).windows).toEqual([expect.objectContaining({ visible: true })]);
  });

  it('Quit in the tray menu ends the process, with the window hidden or shown', async () => {
    for (const hidden of [false, true]) {
      const app = launch(home());
      await app.event('window-show');
      if (hidden) await app.command('closeWindow');
      await app.command('clickTrayItem', TRAY_QUIT);
      expect(await exitWithin(app, 5_000)).toBe(0);
      expect(app.events.map((event) => event.name)).not.toContain('quit-cancelled');
    }
  });

  it('a second instance ends at once and brings the first one’s window up', async () => {
    const shared = home();
    const first = launch(shared);
    await first.event('window-show');
    await first.command('closeWindow');
    const second = launch(shared);
    expect(await exitWithin(second, 5_000)).toBe(0);
    await first.event('window-show');
    expect((await first.state()).windows[0]?.visible).toBe(true);
    expect(second.events.map((event) => event.name)).not.toContain('window-created');
  });

  it('answers IPC from its own window even when installed under a path with a space and a %', async () => {
    const where = home();
    const appDir = copyOfApp(join(where.dir, 'Programs', 'B24 Notify 100%'));
    const app = launch(where, { appDir });
    await app.event('window-show');
    const result = await app.command<{ ok: boolean }>('invoke', 'b24:state:get', null);
    expect(result).toMatchObject({ ok: true });
    // Another page (or a frame inside ours) is refused.
    expect(await app.command('invoke', 'b24:state:get', null, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('started at login (--hidden) with a portal connected, it stays in the tray', async () => {
    const portal = await startPortalSim();
    try {
      const where = await homeWithPortal(portal.webhookUrl);

      const atLogin = launch(where, { args: ['--hidden'] });
      await atLogin.event('tray-menu');
      // An IPC round trip: the window has loaded (ready-to-show came and went) by the time it answers.
      expect(await atLogin.command('invoke', 'b24:state:get', null)).toMatchObject({ ok: true });
      expect((await atLogin.state()).windows).toEqual([expect.objectContaining({ visible: false })]);
      expect(atLogin.events.map((event) => event.name)).not.toContain('window-show');
    } finally {
      await portal.close();
    }
  });

  it('on Linux a locked screen holds polling back (powerMonitor.getSystemIdleState says locked; Linux has no lock events)', async () => {
    const portal = await startPortalSim();
    try {
      const where = await homeWithPortal(portal.webhookUrl);
      const polls = (): number => portal.requestLog.filter((entry) => entry.restMethod === 'im.notify.get' || entry.restMethod === 'batch').length;
      const before = polls();
      const locked = launch(where, { env: { B24_STANDIN_IDLE_STATE: 'locked' } });
      await locked.event('tray-menu');
      type Feed = { ok: boolean; value?: { snapshot: { accounts: { state: { connection: { status: string } } }[] } } };
      const status = async (): Promise<string | undefined> => (await locked.command<Feed>('invoke', 'b24:state:get', null)).value?.snapshot.accounts[0]?.state.connection.status;
      await pollUntil(async () => (await status()) === 'paused', 'the portal paused while the screen is locked');
      expect(polls()).toBe(before);
    } finally {
      await portal.close();
    }
  });
});
