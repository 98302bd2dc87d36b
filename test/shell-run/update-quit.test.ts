/**
 * "Restart to update" from the real main bundle under the Electron stand-in (issue 14, fix 1): an
 * update's quit closes the windows BEFORE before-quit (Electron's autoUpdater.quitAndInstall,
 * docs/api/auto-updater.md; electron-updater emulates it on Windows and Linux, BaseUpdater.js), and
 * the tray window hides instead of closing, so without care the close is prevented, the quit
 * cancelled, and the update never installs. Both paths must end the process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appHome, launchApp, type RunningApp } from '../electron-standin/driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runningApp(): Promise<RunningApp> {
  const home = appHome();
  cleanups.push(() => home.cleanup());
  const app = launchApp(home);
  cleanups.push(() => app.kill());
  await app.event('window-show');
  return app;
}

/** The exit code, or 'still running' after `ms` (a quit that was cancelled). */
function exitWithin(app: RunningApp, ms: number): Promise<number | null | 'still running'> {
  return Promise.race([app.exitCode, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref())]);
}

describe('quitting to install an update (stand-in)', () => {
  it("Electron's quitAndInstall (windows closed first): the window lets its close through and the process ends", async () => {
    const app = await runningApp();
    await app.command('quitAndInstall');
    expect(await exitWithin(app, 5_000)).toBe(0);
    expect(app.events.map((event) => event.name)).not.toContain('quit-cancelled');
  });

  it("electron-updater's quit (the event, then app.quit()): the process ends", async () => {
    const app = await runningApp();
    await app.command('closeWindow'); // hidden in the tray, as most of the time
    await app.command('installerQuit');
    expect(await exitWithin(app, 5_000)).toBe(0);
    expect(app.events.map((event) => event.name)).not.toContain('quit-cancelled');
  });
});
