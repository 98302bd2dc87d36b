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
    if (!options.hideOnBlur()) return;
    hiddenByBlurAt.set(window, Date.now());
    window.hide();
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

/**
 * When hide-on-blur last hid each window. Clicking the tray icon while the window is open takes
 * the focus first (blur hides it) and then reports the click: without this the click would open it
 * again at once, so the icon could never close the window (Windows, macOS).
 */
const hiddenByBlurAt = new WeakMap<BrowserWindow, number>();
const BLUR_THEN_CLICK_MS = 400;

/** A click on the tray icon: opens the window, or closes it when it is open (or just closed by that same click). */
export function toggleFromTray(window: BrowserWindow, trayBounds: Rect | undefined): void {
  if (window.isVisible()) {
    window.hide();
    return;
  }
  const hiddenAt = hiddenByBlurAt.get(window);
  hiddenByBlurAt.delete(window); // one click pairs with one blur
  if (hiddenAt !== undefined && Date.now() - hiddenAt < BLUR_THEN_CLICK_MS) return;
  showNearTray(window, trayBounds);
}

/** Shows the window next to the tray icon (or in the screen corner where the icon cannot be located). */
export function showNearTray(window: BrowserWindow, trayBounds: Rect | undefined): void {
  const display = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
  const { x, y } = placeNearTray({ trayBounds, windowSize: window.getBounds(), workArea: display.workArea, platform: process.platform });
  window.setPosition(x, y);
  window.show();
  window.focus();
}
