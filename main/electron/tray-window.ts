/**
 * The tray window: small, secure and hidden rather than closed, since the app lives in the tray.
 */
import { BrowserWindow, shell } from 'electron';

export interface TrayWindowPaths {
  preloadPath: string;
  rendererIndexPath: string;
}

export function createTrayWindow(paths: TrayWindowPaths): BrowserWindow {
  const window = new BrowserWindow({
    width: 380,
    height: 560,
    show: false,
    resizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    webPreferences: {
      preload: paths.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // The window only ever shows our own page: no navigation, no new windows.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  window.on('close', (event) => {
    event.preventDefault();
    window.hide();
  });
  void window.loadFile(paths.rendererIndexPath);
  return window;
}
