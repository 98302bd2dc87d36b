/**
 * The details of updating (main/core/app/update-policy.ts) the user reads or relies on: which
 * values of B24_NOTIFY_DISABLE_UPDATES switch updates off, that the portable-build marker only
 * counts on Windows (electron-builder's portable target sets PORTABLE_EXECUTABLE_DIR, per the
 * module's comment), the exact words of the notices, how an updater error is cut to one line,
 * and the state a check or a stray progress event leaves.
 */
import { describe, expect, it } from 'vitest';
import { nextUpdateState, updateNotice, updatePolicy, type UpdateEnvironment, type UpdateState } from '../../main/core/app/update-policy';

const packaged: UpdateEnvironment = { isPackaged: true, platform: 'win32', env: {}, hasUpdateConfig: true };
const asked = { userInitiated: true, state: { phase: 'idle' } as UpdateState };

describe('whether updates are on', () => {
  it('the portable marker switches them off on Windows only', () => {
    const marker = { PORTABLE_EXECUTABLE_DIR: 'C:\\Apps' };
    expect(updatePolicy({ ...packaged, platform: 'linux', env: { ...marker, APPIMAGE: '/home/me/B24 Notify.AppImage' } }).enabled).toBe(true);
    expect(updatePolicy({ ...packaged, platform: 'darwin', env: marker }).enabled).toBe(true);
  });

  it('"false", "no" and "0" in any case and spacing leave them on; other values switch them off', () => {
    for (const value of ['false', 'no', ' FALSE ', 'No', ' 0 ']) {
      expect(updatePolicy({ ...packaged, env: { B24_NOTIFY_DISABLE_UPDATES: value } }).enabled, value).toBe(true);
    }
    for (const value of ['yes', ' 1 ', 'TRUE', 'on']) {
      expect(updatePolicy({ ...packaged, env: { B24_NOTIFY_DISABLE_UPDATES: value } }), value).toEqual({ enabled: false, reason: 'disabled' });
    }
  });
});

describe('what the notices say', () => {
  it('a finished download says how it gets installed; a check the user asked for that finds nothing says so', () => {
    expect(updateNotice({ kind: 'downloaded', version: '1.2.0' }, asked)).toEqual({
      title: 'B24 Notify 1.2.0 is ready',
      body: 'Click to restart and update now, or it will be installed when you quit.',
      action: 'restart',
    });
    expect(updateNotice({ kind: 'not-available' }, asked)).toEqual({ title: 'B24 Notify is up to date', body: 'You have the latest version.' });
  });

  it('an error shows its first line trimmed, "Unknown error" when that line is blank', () => {
    const body = (message: string): string | undefined => updateNotice({ kind: 'error', message }, asked)?.body;
    expect(body('  HttpError: 404  \n<html>…</html>')).toBe('HttpError: 404');
    expect(body('')).toBe('Unknown error');
    expect(body('   \nstack trace')).toBe('Unknown error');
  });

  it('an error line of up to 160 characters is shown whole; a longer one is cut to 159 and an ellipsis', () => {
    const body = (message: string): string | undefined => updateNotice({ kind: 'error', message }, asked)?.body;
    const exactly160 = 'e'.repeat(160);
    expect(body(exactly160)).toBe(exactly160);
    expect(body('x'.repeat(159) + 'yz')).toBe(`${'x'.repeat(159)}…`);
  });
});

describe('where the update stands', () => {
  it('a check from idle is under way (checking), and a progress report outside a download changes nothing', () => {
    expect(nextUpdateState({ phase: 'idle' }, { kind: 'checking' })).toEqual({ phase: 'checking' });
    const offered: UpdateState = { phase: 'available', version: '1.2.0' };
    expect(nextUpdateState(offered, { kind: 'progress', percent: 40 })).toEqual(offered);
    expect(nextUpdateState({ phase: 'idle' }, { kind: 'progress', percent: 40 })).toEqual({ phase: 'idle' });
  });
});
