/**
 * Composition root of the Electron shell: wiring only, no logic.
 */
import { app, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { registerIpcHandlers } from './electron/ipc';
import { createTrayWindow } from './electron/tray-window';

const distDir = join(import.meta.dirname, '..');
const paths = {
  preloadPath: join(distDir, 'preload', 'preload.cjs'),
  rendererIndexPath: join(distDir, 'renderer', 'index.html'),
};

let trayWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => trayWindow?.show());
  // The app lives in the tray: closing the window must not quit it.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(() => {
    registerIpcHandlers(paths.rendererIndexPath);
    trayWindow = createTrayWindow(paths);
    trayWindow.once('ready-to-show', () => trayWindow?.show());
  });
}
