/**
 * The app in a real Electron (issue 14), driven by Playwright's `_electron.launch`
 * (electron-platform-notes §7): launch, the tray window, connect to the simulator, a popup answered
 * on Linux through dbusmock, quit. Reports the main process's and the window's RSS.
 *
 * Runs wherever an Electron binary exists: ELECTRON_OVERRIDE_DIST_PATH (a folder with the
 * `electron` executable) or an installed `electron` package whose runtime was downloaded. Elsewhere
 * every test is reported skipped with the reason. Under Xvfb on hosted CI (see ci.yml).
 * Needs `npm run build` first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartSessionBus, startSessionBus, type DbusSession } from '../harness/dbus-session';
import { pollUntil } from '../harness/processes';
import { startPortalSim, type PortalSim } from '../portal-sim';

const ROOT = join(import.meta.dirname, '..', '..');

/** The Electron executable, or why there is none. */
function electronBinary(): { path: string } | { missing: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidates = [join(override, 'electron'), join(override, 'electron.exe'), join(override, 'Electron.app', 'Contents', 'MacOS', 'Electron')];
    const found = candidates.find((candidate) => existsSync(candidate));
    return found ? { path: found } : { missing: `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron executable` };
  }
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return { missing: 'the electron package has not downloaded its runtime (no access to GitHub?); set ELECTRON_OVERRIDE_DIST_PATH' };
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? { path: binary } : { missing: `${binary} is missing` };
  } catch {
    return { missing: 'the electron package is not installed' };
  }
}

const binary = electronBinary();
const skipReason = 'missing' in binary ? binary.missing : undefined;
if (skipReason) console.log(`test:electron skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('B24 Notify in a real Electron', () => {
  let app: ElectronApplication;
  let portal: PortalSim;
  let bus: DbusSession | undefined;
  const home = mkdtempSync(join(tmpdir(), 'b24-electron-'));

  beforeAll(async () => {
    portal = await startPortalSim();
    if (process.platform === 'linux' && canStartSessionBus()) {
      bus = await startSessionBus();
      await bus.startDaemon(['actions', 'body']);
    }
    app = await _electron.launch({
      executablePath: 'path' in binary ? binary.path : '',
      args: [ROOT],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...(bus ? { DBUS_SESSION_BUS_ADDRESS: bus.address } : {}) },
    });
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await bus?.close();
    await portal?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('opens its tray window at first launch and connects to the simulator from it', async () => {
    const window = await app.firstWindow();
    await window.getByLabel('Inbound webhook URL').fill(portal.webhookUrl);
    await window.keyboard.press('Enter');
    portal.addConfirm({ title: 'Join the group?', text: 'Marketing' });
    await window.evaluate(() => (globalThis as unknown as { api: { pollNow(request: object): Promise<unknown> } }).api.pollNow({}));
    await window.getByText('Join the group?').waitFor({ timeout: 30_000 });
  });

  it.skipIf(process.platform !== 'linux')('answers a confirm from its Linux popup (dbusmock)', async () => {
    if (!bus) throw new Error('no session bus: install dbus and python3-dbusmock');
    const [popup] = await pollUntil(async () => {
      const calls = await bus!.notifyCalls();
      return calls.length > 0 && calls;
    }, 'the popup');
    expect(popup?.summary).toContain('Join the group?');
    await bus.pressButton(1, 'Y');
    await pollUntil(() => portal.confirmLog.length > 0, 'the confirm at the portal');
  });

  it('reports the memory of the main process and the window', async () => {
    const mainRss = await app.evaluate(() => process.memoryUsage().rss);
    const window = await app.firstWindow();
    const windowRss = await window.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    console.log(`real Electron: main process RSS ${(mainRss / 1024 / 1024).toFixed(1)} MB, window JS heap ${(windowRss / 1024 / 1024).toFixed(1)} MB`);
    expect(mainRss).toBeGreaterThan(0);
  });

  it('quits from the app and the process ends', async () => {
    const closed = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    await closed;
  });
});
