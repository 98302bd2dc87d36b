/**
 * main/electron/updater.ts with electron and electron-updater mocked: off in development, quiet
 * periodic checks, and no download or restart until the user clicks the notice that offers it.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_INTERVAL_MS, FIRST_CHECK_DELAY_MS, type UpdateNotice } from '../../main/core/app/update-policy';
import { startUpdater, type UpdaterOptions } from '../../main/electron/updater';
import { FakeNotification } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

/** Stands in for electron-updater's AppUpdater: records calls, lets the test emit its events. */
class FakeAppUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  logger: unknown = null;
  readonly checkForUpdates = vi.fn(async (): Promise<null> => null);
  readonly downloadUpdate = vi.fn(async (): Promise<string[]> => []);
  readonly quitAndInstall = vi.fn();
}

const updaterModule = vi.hoisted(() => ({ instance: undefined as unknown, created: 0 }));
// Like the real module: the updater is made on first access of `autoUpdater`.
vi.mock('electron-updater', () => ({
  default: {
    get autoUpdater() {
      updaterModule.created += 1;
      return updaterModule.instance;
    },
  },
}));

let fake: FakeAppUpdater;
let resourcesPath: string;
let notices: UpdateNotice[];
let acts: ((() => void) | undefined)[];
const log = vi.fn();

/** A packaged Windows install with app-update.yml, reporting notices to the test. */
function packaged(extra: Partial<UpdaterOptions> = {}): ReturnType<typeof startUpdater> {
  return startUpdater({
    isPackaged: true,
    platform: 'win32',
    env: {},
    resourcesPath,
    log,
    tell: (notice, act) => {
      notices.push(notice);
      acts.push(act);
    },
    ...extra,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  fake = new FakeAppUpdater();
  updaterModule.instance = fake;
  updaterModule.created = 0;
  notices = [];
  acts = [];
  log.mockClear();
  FakeNotification.instances.length = 0;
  resourcesPath = mkdtempSync(join(tmpdir(), 'b24-updater-'));
  writeFileSync(join(resourcesPath, 'app-update.yml'), 'provider: github\nowner: b24notify\nrepo: b24-notify\n');
});

afterEach(() => {
  vi.useRealTimers();
  rmSync(resourcesPath, { recursive: true, force: true });
});

describe('startUpdater', () => {
  it('is off in development (app.isPackaged false) and never creates the updater', async () => {
    const updater = startUpdater({ log });
    expect(updater.policy).toEqual({ enabled: false, reason: 'development' });
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS * 2);
    await updater.checkNow();
    expect(updaterModule.created).toBe(0);
    expect(fake.checkForUpdates).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('development'));
  });

  it('is off for a packaged copy built without app-update.yml', async () => {
    rmSync(join(resourcesPath, 'app-update.yml'));
    const updater = packaged();
    expect(updater.policy).toEqual({ enabled: false, reason: 'no-update-config' });
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(updaterModule.created).toBe(0);
  });

  it('reads the Linux package type electron-builder leaves in resources/', () => {
    expect(packaged({ platform: 'linux' }).policy).toEqual({ enabled: false, reason: 'unsupported-install' });
    writeFileSync(join(resourcesPath, 'package-type'), 'deb');
    expect(packaged({ platform: 'linux' }).policy.enabled).toBe(true);
  });

  it('turns automatic download off, checks after the start-up delay and then on the interval', async () => {
    const updater = packaged();
    expect(fake.autoDownload).toBe(false);
    expect(fake.logger).not.toBeNull();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS - 1);
    expect(fake.checkForUpdates).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(2);
    updater.stop();
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS * 3);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(2);
    fake.emit('update-available', { version: '9.9.9' });
    expect(notices).toEqual([]); // listeners are gone too
  });

  it('offers an update with a system notification and downloads only when it is clicked, once', async () => {
    startUpdater({ isPackaged: true, platform: 'win32', env: {}, resourcesPath, log });
    fake.emit('update-available', { version: '1.2.0' });
    expect(FakeNotification.instances).toHaveLength(1);
    const offer = FakeNotification.instances[0];
    expect(offer?.options.title).toContain('1.2.0');
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(fake.downloadUpdate).not.toHaveBeenCalled();

    offer?.emit('click');
    offer?.emit('click'); // a second click while downloading does nothing
    expect(fake.downloadUpdate).toHaveBeenCalledTimes(1);
    expect(fake.quitAndInstall).not.toHaveBeenCalled();

    fake.emit('download-progress', { percent: 50 });
    fake.emit('update-downloaded', { version: '1.2.0' });
    expect(offer?.close).toHaveBeenCalled(); // the stale offer makes way for the next notice
    const ready = FakeNotification.instances[1];
    expect(ready?.options.title).toContain('1.2.0');
    ready?.emit('click');
    expect(fake.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('keeps periodic checks that find nothing or fail quiet, and answers a check the user asked for', async () => {
    const updater = packaged();
    fake.checkForUpdates.mockImplementation(async () => {
      fake.emit('checking-for-update');
      fake.emit('update-not-available', { version: '0.1.0' });
      return null;
    });
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS);
    expect(notices).toEqual([]);

    fake.checkForUpdates.mockImplementation(async () => {
      const error = new Error('net::ERR_INTERNET_DISCONNECTED');
      fake.emit('error', error); // electron-updater emits and rejects
      throw error;
    });
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(2);
    expect(notices).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('ERR_INTERNET_DISCONNECTED'));

    await updater.checkNow();
    expect(notices).toEqual([expect.objectContaining({ title: expect.stringMatching(/could not check/i) })]);
  });

  it('offers a version once across periodic checks, again when the user asks', async () => {
    const updater = packaged();
    fake.checkForUpdates.mockImplementation(async () => {
      fake.emit('update-available', { version: '1.2.0' });
      return null;
    });
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS + CHECK_INTERVAL_MS * 2);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(3);
    expect(notices.map((notice) => notice.action)).toEqual(['download']);
    await updater.checkNow();
    expect(notices.map((notice) => notice.action)).toEqual(['download', 'download']);
    // The offer still stands after the later checks: its click downloads.
    acts[0]?.();
    expect(fake.downloadUpdate).toHaveBeenCalledTimes(1);
  });

  it('tells the user when the download fails and lets them try again', async () => {
    packaged();
    fake.emit('update-available', { version: '1.2.0' });
    fake.downloadUpdate.mockImplementationOnce(async () => {
      const error = new Error('socket hang up');
      fake.emit('error', error);
      throw error;
    });
    acts[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(notices[1]).toMatchObject({ action: 'download', title: expect.stringMatching(/could not download/i) });
    acts[1]?.();
    expect(fake.downloadUpdate).toHaveBeenCalledTimes(2);
  });

  it('ignores actions that no longer apply', () => {
    const updater = packaged();
    updater.run('download');
    updater.run('restart');
    expect(fake.downloadUpdate).not.toHaveBeenCalled();
    expect(fake.quitAndInstall).not.toHaveBeenCalled();
  });
});
