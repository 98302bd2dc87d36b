/**
 * Settings on electron-store (atomic writes, in the user data folder); a damaged file is moved
 * aside and reported rather than silently reset.
 */
import { ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { Storage, openRecovering, type ReportProblem } from '../core/storage/storage';

/**
 * electron-store's constructor registers a synchronous IPC channel that tells ANY frame the user
 * data path and the app version (node_modules/electron-store/index.js, initDataListener); our
 * window never uses electron-store, so nothing is answered there.
 */
const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

export function openAppStorage(userDataDir: string, report: ReportProblem): Storage {
  const backend = openRecovering({
    filePath: join(userDataDir, 'settings.json'),
    report,
    create: () => new ElectronStore({ name: 'settings', cwd: userDataDir, accessPropertiesByDotNotation: false, clearInvalidConfig: false }),
  });
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
  // A listener that answers nothing: a sync call is never left waiting, and learns nothing.
  ipcMain.on(ELECTRON_STORE_CHANNEL, (event) => {
    event.returnValue = null;
  });
  return new Storage(backend, report);
}
