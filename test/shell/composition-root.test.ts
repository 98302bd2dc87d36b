/**
 * main/index.ts, the composition root, with a mocked electron: one instance only, and a second
 * launch hands over to the first.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());
// electron-store is loaded from node_modules, outside vitest's module mocking, and would require the
// real electron (which tries a download): it is replaced whole.
vi.mock('electron-store', () => ({ default: class {} }));

describe('composition root', () => {
  beforeEach(() => {
    vi.resetModules(); // main/index runs its wiring on import: each test imports it afresh
    vi.clearAllMocks();
  });

  it('quits at once when another instance holds the lock', async () => {
    const electron = await import('electron');
    vi.mocked(electron.app.requestSingleInstanceLock).mockReturnValue(false);
    await import('../../main/index');
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
  });

  it('as the first instance, waits for the app to be ready and answers a second launch', async () => {
    const electron = await import('electron');
    vi.mocked(electron.app.requestSingleInstanceLock).mockReturnValue(true);
    await import('../../main/index');
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(electron.app.whenReady).toHaveBeenCalled();
    // app.on's overloads make the recorded calls' type unusable; they are (event, listener) pairs.
    const calls = vi.mocked(electron.app.on).mock.calls as unknown as [string, () => void][];
    expect(calls.map(([event]) => event)).toEqual(expect.arrayContaining(['second-instance', 'window-all-closed', 'before-quit']));
    // Before the window exists, a second launch is harmless.
    const secondInstance = calls.find(([event]) => event === 'second-instance')?.[1];
    expect(secondInstance).toBeDefined();
    expect(() => secondInstance?.()).not.toThrow();
    // macOS sends activate when the running app is launched again; no default menu (Reload, DevTools).
    expect(calls.map(([event]) => event)).toContain('activate');
    expect((electron.Menu as unknown as { applicationMenu: unknown }).applicationMenu).toBeNull();
  });
});
