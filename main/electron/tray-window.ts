/**
 * The tray window: small, secure and hidden rather than closed, since the app lives in the tray.
 */
import { BrowserWindow, screen, shell } from 'electron';
import { placeNearTray, type Rect } from '../core/tray/window-placement';

export interface TrayWindowPaths {
  preloadPath: string;
  rendererIndexPath: string;
}

export interface TrayWindowOptions {
  /** Read at each blur, so the setting applies at once. */
  hideOnBlur: () => boolean;
}

export function createTrayWindow(paths: TrayWindowPaths, options: TrayWindowOptions): BrowserWindow {
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
  window.on('blur', () => {
    if (options.hideOnBlur()) window.hide();
  });
  // Escape hides the window wherever focus is, as with any tray popover.
  window.webContents.on('before-input-event', (event, input) => {
    if (input.type === 'keyDown' && input.key === 'Escape') {
      event.preventDefault();
      window.hide();
    }
  });
  void window.loadFile(paths.rendererIndexPath);
  return window;
}

/** Shows the window next to the tray icon (or in the screen corner where the icon cannot be located). */
export function showNearTray(window: BrowserWindow, trayBounds: Rect | undefined): void {
  const display = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
  const { x, y } = placeNearTray({ trayBounds, windowSize: window.getBounds(), workArea: display.workArea, platform: process.platform });
  window.setPosition(x, y);
  window.show();
  window.focus();
}
