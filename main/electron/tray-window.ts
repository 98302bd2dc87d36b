/**
 * The tray window: small, secure and hidden rather than closed, since the app lives in the tray.
 */
import { BrowserWindow, screen, shell } from 'electron';
import { safeExternalUrl } from '../core/security/external-links';
import { placeNearTray, type Rect } from '../core/tray/window-placement';

export interface TrayWindowPaths {
  preloadPath: string;
  rendererIndexPath: string;
}

export interface TrayWindowOptions {
  /** Read at each blur, so the setting applies at once. */
  hideOnBlur: () => boolean;
  /**
   * True once the app is quitting (before-quit, before-quit-for-update): a prevented close
   * cancels app.quit() (electron docs/api/app.md, event before-quit), so closes must go through.
   */
  isQuitting: () => boolean;
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
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  // The window only ever shows our own page: no navigation (of the page or any frame), no
  // embedded guest pages, no new windows.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Our page opens links only as anchors the user clicks (it never calls window.open, and the
    // CSP admits no other script), so a link that passes the check goes to the browser.
    const target = safeExternalUrl(url, { userClicked: true });
    if (target) shell.openExternal(target).catch(() => undefined);
    return { action: 'deny' };
  });
  // The window needs no permission at all (camera, notifications, clipboard, HID…): every request
  // and every check is answered no.
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
  window.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
  window.on('blur', () => {
    if (options.hideOnBlur()) window.hide();
  });
  // Escape hides the window wherever focus is, as with any tray popover.
  contents.on('before-input-event', (event, input) => {
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
