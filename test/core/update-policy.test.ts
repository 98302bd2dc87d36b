/**
 * When the app looks for updates and what it says about them (main/core/app/update-policy.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_INTERVAL_MS,
  FIRST_CHECK_DELAY_MS,
  canRun,
  downloadStarted,
  nextUpdateState,
  updateNotice,
  updatePolicy,
  type UpdateEnvironment,
  type UpdateEvent,
  type UpdateState,
} from '../../main/core/app/update-policy';

const packagedWindows: UpdateEnvironment = { isPackaged: true, platform: 'win32', env: {}, hasUpdateConfig: true };

describe('updatePolicy', () => {
  it('checks a packaged install soon after start and then every few hours', () => {
    expect(updatePolicy(packagedWindows)).toEqual({ enabled: true, firstCheckDelayMs: FIRST_CHECK_DELAY_MS, checkIntervalMs: CHECK_INTERVAL_MS });
    expect(FIRST_CHECK_DELAY_MS).toBeGreaterThanOrEqual(10_000);
    // Often enough to matter, rare enough for GitHub's unauthenticated rate limit.
    expect(CHECK_INTERVAL_MS).toBeGreaterThanOrEqual(60 * 60_000);
    expect(CHECK_INTERVAL_MS).toBeLessThanOrEqual(24 * 60 * 60_000);
  });

  it('is off in development, even with an update config around', () => {
    expect(updatePolicy({ ...packagedWindows, isPackaged: false })).toEqual({ enabled: false, reason: 'development' });
  });

  it('is off for the Windows portable build', () => {
    expect(updatePolicy({ ...packagedWindows, env: { PORTABLE_EXECUTABLE_DIR: 'C:\\Apps' } })).toEqual({ enabled: false, reason: 'portable' });
  });

  it('is off without app-update.yml (a build with no publish config)', () => {
    expect(updatePolicy({ ...packagedWindows, hasUpdateConfig: false })).toEqual({ enabled: false, reason: 'no-update-config' });
    expect(updatePolicy({ ...packagedWindows, platform: 'darwin', hasUpdateConfig: false })).toMatchObject({ enabled: false });
  });

  it('on Linux, updates an AppImage or a deb/rpm install, not an unpacked folder', () => {
    const linux: UpdateEnvironment = { isPackaged: true, platform: 'linux', env: {}, hasUpdateConfig: true };
    expect(updatePolicy({ ...linux, env: { APPIMAGE: '/home/me/B24 Notify.AppImage' } }).enabled).toBe(true);
    expect(updatePolicy({ ...linux, linuxPackageType: 'deb\n' }).enabled).toBe(true);
    expect(updatePolicy({ ...linux, linuxPackageType: 'rpm' }).enabled).toBe(true);
    expect(updatePolicy(linux)).toEqual({ enabled: false, reason: 'unsupported-install' });
    expect(updatePolicy({ ...linux, linuxPackageType: 'pacman' })).toEqual({ enabled: false, reason: 'unsupported-install' });
  });

  it('can be switched off with B24_NOTIFY_DISABLE_UPDATES, and not by an empty or "0" value', () => {
    expect(updatePolicy({ ...packagedWindows, env: { B24_NOTIFY_DISABLE_UPDATES: '1' } })).toEqual({ enabled: false, reason: 'disabled' });
    expect(updatePolicy({ ...packagedWindows, env: { B24_NOTIFY_DISABLE_UPDATES: 'true' } })).toEqual({ enabled: false, reason: 'disabled' });
    expect(updatePolicy({ ...packagedWindows, env: { B24_NOTIFY_DISABLE_UPDATES: '0' } }).enabled).toBe(true);
    expect(updatePolicy({ ...packagedWindows, env: { B24_NOTIFY_DISABLE_UPDATES: '' } }).enabled).toBe(true);
  });
});

describe('updateNotice', () => {
  const idle: UpdateState = { phase: 'idle' };
  const periodic = { userInitiated: false, state: idle };
  const asked = { userInitiated: true, state: idle };

  it('offers a new version with a download action, never a download already under way', () => {
    const notice = updateNotice({ kind: 'available', version: '1.2.0' }, periodic);
    expect(notice).toMatchObject({ action: 'download' });
    expect(notice?.title).toContain('1.2.0');
    expect(notice?.body).toMatch(/nothing is downloaded until you/i);
  });

  it('offers a version once: periodic checks that find it again stay quiet, a check the user asked for does not', () => {
    expect(updateNotice({ kind: 'available', version: '1.2.0' }, { ...periodic, announcedVersion: '1.2.0' })).toBeUndefined();
    expect(updateNotice({ kind: 'available', version: '1.3.0' }, { ...periodic, announcedVersion: '1.2.0' })).toMatchObject({ action: 'download' });
    expect(updateNotice({ kind: 'available', version: '1.2.0' }, { ...asked, announcedVersion: '1.2.0' })).toMatchObject({ action: 'download' });
  });

  it('offers a restart once the download is done', () => {
    const notice = updateNotice({ kind: 'downloaded', version: '1.2.0' }, { userInitiated: false, state: { phase: 'downloading', version: '1.2.0', percent: 99 } });
    expect(notice).toMatchObject({ action: 'restart' });
    expect(notice?.title).toContain('1.2.0');
  });

  it('says nothing about periodic checks that find nothing or fail', () => {
    expect(updateNotice({ kind: 'not-available' }, periodic)).toBeUndefined();
    expect(updateNotice({ kind: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' }, periodic)).toBeUndefined();
    expect(updateNotice({ kind: 'checking' }, asked)).toBeUndefined();
    expect(updateNotice({ kind: 'progress', percent: 40 }, asked)).toBeUndefined();
  });

  it('answers a check the user asked for, with the first line of an error only', () => {
    expect(updateNotice({ kind: 'not-available' }, asked)).toMatchObject({ title: expect.stringMatching(/up to date/) });
    const error = updateNotice({ kind: 'error', message: 'HttpError: 404\n<html>…a whole page…</html>' }, asked);
    expect(error?.title).toMatch(/could not check/i);
    expect(error?.body).toBe('HttpError: 404');
    expect(error?.action).toBeUndefined();
    expect(updateNotice({ kind: 'error', message: 'x'.repeat(500) }, asked)?.body.length).toBeLessThanOrEqual(160);
  });

  it('tells about a failed download, which the user asked for, and offers to try again', () => {
    const notice = updateNotice({ kind: 'error', message: 'socket hang up' }, { userInitiated: false, state: { phase: 'downloading', version: '1.2.0', percent: 10 } });
    expect(notice).toMatchObject({ action: 'download', title: expect.stringMatching(/could not download/i) });
    expect(notice?.body).toContain('socket hang up');
  });
});

describe('update state', () => {
  const run = (events: UpdateEvent[], from: UpdateState = { phase: 'idle' }): UpdateState => events.reduce(nextUpdateState, from);

  it('downloads only after an offer, and only once', () => {
    expect(canRun('download', { phase: 'idle' })).toBe(false);
    expect(canRun('download', { phase: 'checking' })).toBe(false);
    const offered = run([{ kind: 'checking' }, { kind: 'available', version: '1.2.0' }]);
    expect(offered).toEqual({ phase: 'available', version: '1.2.0' });
    expect(canRun('download', offered)).toBe(true);
    const downloading = downloadStarted(offered);
    expect(downloading).toEqual({ phase: 'downloading', version: '1.2.0', percent: 0 });
    expect(canRun('download', downloading)).toBe(false);
    expect(downloadStarted({ phase: 'idle' })).toEqual({ phase: 'idle' });
  });

  it('restarts only once the update is downloaded', () => {
    const downloading: UpdateState = { phase: 'downloading', version: '1.2.0', percent: 0 };
    expect(canRun('restart', downloading)).toBe(false);
    expect(run([{ kind: 'progress', percent: 250 }], downloading)).toEqual({ ...downloading, percent: 100 });
    const ready = run([{ kind: 'progress', percent: 50 }, { kind: 'downloaded', version: '1.2.0' }], downloading);
    expect(ready).toEqual({ phase: 'downloaded', version: '1.2.0' });
    expect(canRun('restart', ready)).toBe(true);
  });

  it('a periodic check keeps an unanswered offer, a running download and a finished one', () => {
    const offered: UpdateState = { phase: 'available', version: '1.2.0' };
    expect(run([{ kind: 'checking' }], offered)).toEqual(offered);
    const downloading: UpdateState = { phase: 'downloading', version: '1.2.0', percent: 30 };
    expect(run([{ kind: 'checking' }, { kind: 'available', version: '1.2.0' }, { kind: 'not-available' }], downloading)).toEqual(downloading);
    const ready: UpdateState = { phase: 'downloaded', version: '1.2.0' };
    expect(run([{ kind: 'checking' }, { kind: 'not-available' }, { kind: 'error', message: 'offline' }], ready)).toEqual(ready);
  });

  it('a failed download can be asked for again; a failed check goes back to idle', () => {
    expect(run([{ kind: 'error', message: 'reset' }], { phase: 'downloading', version: '1.2.0', percent: 60 })).toEqual({ phase: 'available', version: '1.2.0' });
    expect(run([{ kind: 'checking' }, { kind: 'error', message: 'offline' }])).toEqual({ phase: 'idle' });
    expect(run([{ kind: 'available', version: '1.2.0' }, { kind: 'not-available' }])).toEqual({ phase: 'idle' });
  });
});
