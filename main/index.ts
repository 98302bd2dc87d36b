/**
 * Composition root of the Electron shell: wiring only, no logic.
 */
import { app, powerMonitor, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { AccountStore } from './core/accounts/account-store';
import { NotificationHub } from './core/app/hub';
import { startStoredAccounts } from './core/app/start-accounts';
import { createIpcDispatcher } from './core/ipc/dispatcher';
import { hubIpcHandlers } from './core/ipc/handlers';
import { openAppStorage } from './electron/app-storage';
import { pushState, registerIpcHandlers } from './electron/ipc';
import { createSafeStorageBox } from './electron/safe-storage-box';
import { createTrayWindow } from './electron/tray-window';

const distDir = join(import.meta.dirname, '..');
const paths = {
  preloadPath: join(distDir, 'preload', 'preload.cjs'),
  rendererIndexPath: join(distDir, 'renderer', 'index.html'),
};
const report = (problem: unknown): void => console.warn('[b24-notify]', problem);

let trayWindow: BrowserWindow | undefined;
const hub = new NotificationHub(report);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => trayWindow?.show());
  // The app lives in the tray: closing the window must not quit it.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => void hub.stopAll());
  void app.whenReady().then(async () => {
    const storage = openAppStorage(app.getPath('userData'), report);
    const accounts = new AccountStore(storage, await createSafeStorageBox());
    registerIpcHandlers(paths.rendererIndexPath, createIpcDispatcher(hubIpcHandlers(hub, () => ({ version: app.getVersion(), platform: process.platform })), report));
    trayWindow = createTrayWindow(paths);
    const window = trayWindow;
    hub.on('changed', (snapshot) => pushState(window.webContents, snapshot));
    powerMonitor.on('suspend', () => hub.setSystemState({ suspended: true }));
    powerMonitor.on('resume', () => hub.setSystemState({ suspended: false }));
    powerMonitor.on('unlock-screen', () => hub.pollNow());
    await startStoredAccounts(hub, accounts, storage, { onAccountError: (_id, error) => report(error) });
    window.once('ready-to-show', () => window.show());
  });
}
