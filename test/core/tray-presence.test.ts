/**
 * No tray on this desktop (issue 17): the window opens at every launch and the notice comes once,
 * across restarts; with a tray, or when it cannot be told, nothing happens but a log line. The
 * whole path on the built bundle is test/shell-run/no-tray.test.ts; this is its decision alone.
 */
import { describe, expect, it } from 'vitest';
import { NO_TRAY_NOTICE, whenTrayChecked } from '../../main/core/app/tray-presence';
import { tempStorage } from '../harness/engine-harness';

function launch(store: ReturnType<typeof tempStorage>, present: boolean | undefined) {
  const seen = { notices: [] as string[], windows: 0, log: [] as string[] };
  whenTrayChecked(present, {
    storage: store.open(),
    addNotice: (message) => void seen.notices.push(message),
    showWindow: () => void seen.windows++,
    log: (message) => void seen.log.push(message),
  });
  return seen;
}

describe('a desktop without a tray', () => {
  it('opens the window at every launch, and tells the user once', () => {
    const store = tempStorage();
    expect(launch(store, false)).toEqual({ notices: [NO_TRAY_NOTICE], windows: 1, log: ['tray host: absent'] });
    expect(launch(store, false)).toEqual({ notices: [], windows: 1, log: ['tray host: absent'] });
  });

  it('with a tray, or when it cannot be told, only logs', () => {
    const store = tempStorage();
    expect(launch(store, true)).toEqual({ notices: [], windows: 0, log: ['tray host: present'] });
    expect(launch(store, undefined)).toEqual({ notices: [], windows: 0, log: ['tray host: unknown'] });
    // Not told yet: the first launch without a tray still tells.
    expect(launch(store, false).notices).toEqual([NO_TRAY_NOTICE]);
  });
});
