/**
 * A semantic stand-in for the `electron` module (Electron 45), loaded by the REAL built main bundle
 * (dist/main/index.js) through register.mjs instead of Electron. It models what the app uses with
 * Electron's documented behaviour, each rule citing its source, and throws on anything it does not
 * model so a gap shows as a failure, never as a silent no-op. A test drives it over the child's IPC
 * channel (driver.ts): tray clicks, window closes, IPC calls from the window, power events.
 *
 * Sources: electron/electron docs/api/{app,browser-window,web-contents,tray,menu,notification,
 * power-monitor,safe-storage,screen,session,shell,native-image,native-theme,ipc-main}.md, and
 * ../shared/docs/electron-platform-notes.md §7 (from shell/browser/browser.cc and window_list.cc).
 *
 * Environment (set by the driver): B24_STANDIN_PLATFORM (what process.platform reports, see
 * register.mjs), B24_STANDIN_LOCK (single-instance socket path), B24_STANDIN_SAFE_STORAGE
 * ('available' | 'pending'), B24_STANDIN_APP_PATH (app.getAppPath()), XDG_SESSION_TYPE ('wayland':
 * Electron ≥ 38 runs as a native Wayland client there, docs/breaking-changes.md).
 */
'use strict';
/* eslint no-redeclare: ['error', { builtinGlobals: false }] -- Notification and screen are Electron's names here */
const { EventEmitter } = require('node:events');
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const url = require('node:url');

const platform = process.platform; // already overridden by register.mjs when asked
// Electron 38+ picks native Wayland in a Wayland session (docs/breaking-changes.md, "ozone-platform
// auto"): a client cannot place its own windows, and reads no global pointer position.
const wayland = platform === 'linux' && process.env.XDG_SESSION_TYPE === 'wayland';
const send = (message) => process.send?.(message);
const emitEvent = (name, detail = {}) => send({ type: 'event', name, ...detail });

/** Anything not modelled throws, so the test sees the gap (a strict object, not a catch-all mock). */
function strict(name, target) {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'symbol' || key in object) return Reflect.get(object, key, receiver);
      // Promise resolution probes `then` on any resolved value; EventEmitter internals probe these.
      if (key === 'then' || key === 'toJSON' || key === 'constructor' || key === 'inspect') return undefined;
      throw new Error(`electron stand-in: ${name}.${String(key)} is not modelled (add it with its documented behaviour)`);
    },
  });
}

/** An Electron event object: preventDefault() is how a listener cancels (docs/api/structures/event.md). */
function electronEvent() {
  const event = { defaultPrevented: false, preventDefault() { event.defaultPrevented = true; } };
  return event;
}

// ---- app
const appEmitter = new EventEmitter();
const home = process.env.HOME ?? '/tmp';
const userData = path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'B24 Notify');
let ready = false;
let quitting = false;
let exited = false;
const readyPromise = new Promise((resolve) => {
  // docs/api/app.md: `ready` is emitted once Electron has finished initializing, after the main
  // script has run to its end (its synchronous part).
  setImmediate(() => {
    ready = true;
    appEmitter.emit('ready', electronEvent(), {});
    emitEvent('ready');
    resolve();
  });
});

function exitProcess(code) {
  if (exited) return;
  exited = true;
  emitEvent('exit', { code });
  // Give the IPC message a turn to leave before the process ends.
  setImmediate(() => process.exit(code));
}

/**
 * docs/api/app.md app.quit(): before-quit (preventable), then every window is asked to close; if
 * any close is prevented the quit is cancelled (platform-notes §7, browser.cc); when all closed,
 * will-quit (preventable) and quit, then the process ends with 0.
 */
function quit() {
  if (quitting) return;
  const before = electronEvent();
  appEmitter.emit('before-quit', before);
  emitEvent('before-quit');
  if (before.defaultPrevented) return;
  quitting = true;
  for (const window of [...windows]) {
    window.close();
    if (!window.isDestroyed()) {
      quitting = false;
      emitEvent('quit-cancelled', { reason: 'a window prevented its close' });
      return;
    }
  }
  const willQuit = electronEvent();
  appEmitter.emit('will-quit', willQuit);
  if (willQuit.defaultPrevented) {
    quitting = false;
    return;
  }
  appEmitter.emit('quit', electronEvent(), 0);
  exitProcess(0);
}

let lockServer;
const commandLineSwitches = [];
const app = strict('app', Object.assign(appEmitter, {
  get isPackaged() {
    return false;
  },
  whenReady: () => readyPromise,
  isReady: () => ready,
  quit,
  exit: (code = 0) => exitProcess(code),
  /** docs/api/command-line.md: switches given before ready reach Chromium. */
  commandLine: strict('commandLine', {
    appendSwitch(name, value) {
      if (ready) emitEvent('late-switch', { name });
      commandLineSwitches.push(value === undefined ? name : `${name}=${value}`);
    },
  }),
  getVersion: () => JSON.parse(fs.readFileSync(path.join(process.env.B24_STANDIN_APP_PATH ?? process.cwd(), 'package.json'), 'utf8')).version,
  getName: () => 'B24 Notify',
  getLocale: () => 'en-US',
  getAppPath: () => process.env.B24_STANDIN_APP_PATH ?? process.cwd(),
  /** docs/api/app.md getPath: userData under the config folder; logs under userData on Linux. */
  getPath(name) {
    const paths = { home, userData, appData: path.dirname(userData), logs: path.join(userData, 'logs'), temp: require('node:os').tmpdir() };
    if (!(name in paths)) throw new Error(`electron stand-in: app.getPath('${name}') is not modelled`);
    fs.mkdirSync(paths[name], { recursive: true });
    return paths[name];
  },
  /**
   * docs/api/app.md requestSingleInstanceLock(): false in a second instance, which should quit;
   * the first gets `second-instance` with the second's argv. Modelled with a Unix socket.
   */
  requestSingleInstanceLock() {
    const socketPath = process.env.B24_STANDIN_LOCK;
    if (!socketPath) throw new Error('electron stand-in: B24_STANDIN_LOCK is not set');
    const { execFileSync } = require('node:child_process');
    // Synchronously: is a first instance listening? (a connect attempt in a helper process)
    let taken;
    try {
      execFileSync(process.execPath, ['-e', `const s=require('net').connect(${JSON.stringify(socketPath)});s.on('connect',()=>{s.end(${JSON.stringify(JSON.stringify(process.argv))});});s.on('error',()=>process.exit(3));s.on('close',()=>process.exit(0));`], { stdio: 'ignore', timeout: 5000 });
      taken = true;
    } catch {
      taken = false;
    }
    if (taken) return false;
    fs.rmSync(socketPath, { force: true }); // a stale socket of an instance that is gone
    lockServer = net.createServer((socket) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk));
      socket.on('end', () => {
        const argv = data ? JSON.parse(data) : [];
        setImmediate(() => appEmitter.emit('second-instance', electronEvent(), argv, process.cwd(), null));
      });
    });
    lockServer.listen(socketPath);
    lockServer.unref();
    return true;
  },
  // docs/api/dock.md: macOS only.
  dock: platform === 'darwin' ? strict('dock', { hide: () => emitEvent('dock-hide'), show: async () => emitEvent('dock-show') }) : undefined,
  getLoginItemSettings: platform === 'linux' ? undefined : loginItemSettings,
  setLoginItemSettings: platform === 'linux' ? undefined : setLoginItemSettings,
  ...(platform === 'win32'
    ? {
        setAppUserModelId: (id) => emitEvent('app-user-model-id', { id }),
        setToastActivatorCLSID: (clsid) => emitEvent('toast-activator', { clsid }),
      }
    : {}),
}));

// docs/api/app.md getLoginItemSettings: on Windows, openAtLogin is reported only for the same
// `args` that setLoginItemSettings used (platform-notes §7).
const loginItems = { openAtLogin: false, args: [] };
function setLoginItemSettings(settings) {
  loginItems.openAtLogin = settings.openAtLogin === true;
  loginItems.args = [...(settings.args ?? [])];
}
function loginItemSettings(options = {}) {
  const sameArgs = platform !== 'win32' || JSON.stringify(options.args ?? []) === JSON.stringify(loginItems.args);
  return { openAtLogin: loginItems.openAtLogin && sameArgs, wasOpenedAtLogin: process.env.B24_STANDIN_OPENED_AT_LOGIN === '1' };
}

// ---- BrowserWindow and webContents
const windows = new Set();

/** Electron's loadFile URL (lib/browser/api/web-contents.ts: url.format of the resolved path), as GURL keeps it: spaces escaped, a lone % kept. */
function loadFileUrl(filePath) {
  const formatted = url.format({ protocol: 'file', slashes: true, pathname: path.resolve(app.getAppPath(), filePath) });
  return formatted.replace(/ /g, '%20');
}

class WebContents extends EventEmitter {
  constructor(window) {
    super();
    this._window = window;
    this._url = '';
    this._destroyed = false;
    const session = { requestHandler: undefined, checkHandler: undefined };
    this._session = session;
    this.session = strict('session', {
      setPermissionRequestHandler: (handler) => (session.requestHandler = handler),
      setPermissionCheckHandler: (handler) => (session.checkHandler = handler),
    });
    this.mainFrame = { url: '', parent: null };
  }
  getURL() {
    return this._url;
  }
  isDestroyed() {
    return this._destroyed;
  }
  send(channel, ...args) {
    emitEvent('webcontents-send', { channel, args: JSON.parse(JSON.stringify(args)) });
  }
  setWindowOpenHandler(handler) {
    this._openHandler = handler;
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this._options = options;
    this._visible = options.show !== false;
    this._destroyed = false;
    this._bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.webContents = strict('webContents', new WebContents(this));
    windows.add(this);
    emitEvent('window-created', { width: this._bounds.width, height: this._bounds.height });
  }
  loadFile(filePath) {
    const contents = this.webContents;
    contents._url = loadFileUrl(filePath);
    contents.mainFrame.url = contents._url;
    // docs/api/browser-window.md: ready-to-show when the page has rendered while the window is hidden.
    return new Promise((resolve) =>
      setImmediate(() => {
        if (this._destroyed) return resolve();
        contents.emit('did-finish-load');
        if (!this._visible) this.emit('ready-to-show');
        resolve();
      }),
    );
  }
  show() {
    if (this._destroyed) throw new Error('Object has been destroyed');
    const was = this._visible;
    this._visible = true;
    if (!was) {
      this.emit('show');
      emitEvent('window-show');
    }
  }
  hide() {
    if (this._destroyed) throw new Error('Object has been destroyed');
    const was = this._visible;
    this._visible = false;
    if (was) {
      this.emit('hide');
      emitEvent('window-hide');
    }
  }
  focus() {}
  isVisible() {
    return this._visible;
  }
  isDestroyed() {
    return this._destroyed;
  }
  getBounds() {
    return { ...this._bounds };
  }
  /** On native Wayland the compositor places windows; a client's setPosition has no effect. */
  setPosition(x, y) {
    emitEvent('window-set-position', { x, y });
    if (wayland) return;
    this._bounds.x = x;
    this._bounds.y = y;
  }
  /** docs/api/browser-window.md close(): emits `close`; preventDefault keeps the window. */
  close() {
    if (this._destroyed) return;
    const event = electronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this._destroy();
  }
  destroy() {
    this._destroy();
  }
  _destroy() {
    this._destroyed = true;
    this._visible = false;
    this.webContents._destroyed = true;
    windows.delete(this);
    this.emit('closed');
    emitEvent('window-closed');
    // docs/api/app.md window-all-closed: without a listener the app quits.
    if (windows.size === 0 && !quitting) {
      if (appEmitter.listenerCount('window-all-closed') > 0) appEmitter.emit('window-all-closed');
      else quit();
    }
  }
  static getAllWindows() {
    return [...windows];
  }
}

// ---- Menu and Tray
class Menu {
  constructor(items = []) {
    this.items = items;
  }
  static buildFromTemplate(template) {
    return new Menu(template.map((item) => ({ ...item, checked: item.checked === true })));
  }
  static setApplicationMenu(menu) {
    applicationMenu = menu;
    emitEvent('application-menu', { set: menu !== null });
  }
  static getApplicationMenu() {
    return applicationMenu;
  }
}
// Electron installs a default application menu unless told otherwise (platform-notes §7).
let applicationMenu = new Menu([{ label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] }]);

const trays = new Set();
class Tray extends EventEmitter {
  constructor(image) {
    super();
    this._image = image;
    this._destroyed = false;
    this._menu = undefined;
    trays.add(this);
    emitEvent('tray-created');
  }
  setContextMenu(menu) {
    this._menu = menu;
    emitEvent('tray-menu', { labels: menu.items.filter((item) => item.label).map((item) => item.label) });
  }
  /** docs/api/tray.md popUpContextMenu: macOS and Windows; shows the menu at the icon. */
  popUpContextMenu(menu) {
    if (platform === 'linux') throw new Error('electron stand-in: Tray.popUpContextMenu does nothing on Linux (docs/api/tray.md)');
    this._popped = menu ?? this._menu;
    emitEvent('tray-menu-popped', { labels: this._popped ? this._popped.items.filter((item) => item.label).map((item) => item.label) : [] });
  }
  setToolTip(text) {
    emitEvent('tray-tooltip', { text });
  }
  setImage(image) {
    this._image = image;
  }
  setTitle() {}
  /** docs/api/tray.md getBounds: macOS and Windows only; Linux reports nothing useful (zeros). */
  getBounds() {
    return platform === 'linux' ? { x: 0, y: 0, width: 0, height: 0 } : { x: 1800, y: 0, width: 22, height: 22 };
  }
  isDestroyed() {
    return this._destroyed;
  }
  destroy() {
    this._destroyed = true;
    trays.delete(this);
    emitEvent('tray-destroyed');
  }
}

// ---- Notification (Electron's; the Linux build uses its own D-Bus notifier)
const toasts = [];
/**
 * Windows' Action Center, by tag: Electron sets a toast's Tag from `id`, a random UUID when none is
 * given (docs/api/notification.md `id`); a toast shown with a tag already there replaces it
 * (ToastNotification.Tag, learn.microsoft.com), close() removes it (RemoveGroupedTagWithId in
 * shell/browser/notifications/win/windows_toast_notification.cc).
 */
const actionCenter = new Map();
/** The toast schema allows at most five actions (learn.microsoft.com, toast schema, <actions>). */
const WINDOWS_MAX_ACTIONS = 5;
let toastsRefused = 0;
class Notification extends EventEmitter {
  constructor(options = {}) {
    super();
    if (typeof options.id === 'string' && options.id.length > 64) throw new Error('Notification id must be at most 64 characters'); // platform-notes §7
    this._options = options;
    this._tag = typeof options.id === 'string' && options.id !== '' ? options.id : require('node:crypto').randomUUID();
  }
  show() {
    const options = this._options;
    if (platform === 'win32') {
      // windows_toast_notification.cc GetToastXml: timeoutType 'never' makes a reminder toast with a
      // system Dismiss action first; a reply box adds a Reply action; then one action per button.
      const actionCount = (options.timeoutType === 'never' ? 1 : 0) + (options.actions ?? []).length + (options.hasReply ? 1 : 0);
      if (actionCount > WINDOWS_MAX_ACTIONS) {
        emitEvent('notification-failed', { id: options.id, actionCount });
        setImmediate(() => this.emit('failed', electronEvent(), 'WinAPI: Show failed'));
        return;
      }
      // B24_STANDIN_FAIL_TOASTS=N: the system refuses the first N toasts (a busy notification
      // platform, a Focus Assist hiccup): Electron reports `failed` (docs/api/notification.md).
      if (toastsRefused < Number(process.env.B24_STANDIN_FAIL_TOASTS ?? 0)) {
        toastsRefused += 1;
        emitEvent('notification-failed', { id: options.id, refused: true });
        setImmediate(() => this.emit('failed', electronEvent(), 'WinAPI: Show failed'));
        return;
      }
      actionCenter.set(this._tag, this);
    }
    toasts.push(this);
    emitEvent('notification-show', {
      index: toasts.length - 1,
      id: options.id,
      title: options.title,
      body: options.body,
      actions: (options.actions ?? []).map((action) => action.text),
      timeoutType: options.timeoutType,
      hasReply: options.hasReply === true,
    });
    setImmediate(() => this.emit('show', electronEvent()));
  }
  close() {
    // docs/api/notification.md close(): on Windows it removes the toast from the Action Center and
    // emits `close` (programmatic dismissal is one of its three causes).
    if (platform === 'win32' && actionCenter.get(this._tag) === this) {
      actionCenter.delete(this._tag);
      setImmediate(() => this.emit('close', Object.assign(electronEvent(), { reason: 'applicationHidden' })));
    }
    emitEvent('notification-close', { id: this._options.id });
  }
  static isSupported() {
    Notification._supportedAsked = true;
    return true;
  }
}
/**
 * A user acting on a toast. On Windows, handleActivation's callback runs IN ADDITION to the live
 * instance's own event (docs/api/notification.md handleActivation; platform-notes §7); a toast
 * whose instance is gone (cold start, Action Center after a restart) reaches only the callback.
 */
function activateToast(index, details, live = true) {
  const toast = toasts[index];
  if (!toast) throw new Error(`no toast ${index}`);
  if (live) {
    // docs/api/notification.md (Electron 45): 'action' and 'reply' pass an Event carrying
    // actionIndex / reply, then the deprecated plain value.
    if (details.type === 'action') toast.emit('action', Object.assign(electronEvent(), { actionIndex: details.actionIndex }), details.actionIndex);
    else if (details.type === 'reply') toast.emit('reply', Object.assign(electronEvent(), { reply: details.reply }), details.reply);
    else toast.emit('click', electronEvent());
  }
  if (platform === 'win32' && Notification._activation) Notification._activation({ arguments: '', ...details });
}
if (platform === 'win32') {
  // docs/api/notification.md: Windows only; called in addition to instance events (platform-notes §7).
  Notification.handleActivation = (callback) => {
    Notification._activation = callback;
  };
}

// ---- globalShortcut (docs/api/global-shortcut.md): register answers false when another
// application holds the combination (B24_STANDIN_TAKEN_SHORTCUTS, comma-separated) or it is ours already.
const shortcuts = new Map();
const takenByOthers = new Set((process.env.B24_STANDIN_TAKEN_SHORTCUTS ?? '').split(',').filter(Boolean));
const globalShortcut = strict('globalShortcut', {
  register(accelerator, callback) {
    if (!ready) throw new Error('globalShortcut cannot be used before the app is ready');
    if (typeof accelerator !== 'string' || accelerator === '') throw new TypeError('Invalid accelerator');
    if (takenByOthers.has(accelerator) || shortcuts.has(accelerator)) return false;
    shortcuts.set(accelerator, callback);
    emitEvent('shortcut-registered', { accelerator });
    return true;
  },
  unregister(accelerator) {
    if (shortcuts.delete(accelerator)) emitEvent('shortcut-unregistered', { accelerator });
  },
  unregisterAll() {
    shortcuts.clear();
  },
  isRegistered: (accelerator) => shortcuts.has(accelerator),
});

// ---- autoUpdater (Electron's; electron-updater emits on it too, BaseUpdater.js quitAndInstall)
const autoUpdater = strict('autoUpdater', Object.assign(new EventEmitter(), {
  /**
   * docs/api/auto-updater.md: emits before-quit-for-update, then closes every window BEFORE
   * before-quit (platform-notes §7); a prevented close cancels the quit as with app.quit().
   */
  quitAndInstall() {
    autoUpdater.emit('before-quit-for-update');
    for (const window of [...windows]) {
      window.close();
      if (!window.isDestroyed()) {
        emitEvent('quit-cancelled', { reason: 'a window prevented its close' });
        return;
      }
    }
    quit();
  },
}));

// ---- the rest the app uses
const nativeImage = strict('nativeImage', {
  createFromBuffer: (buffer, options = {}) => strict('NativeImage', { buffer, scaleFactor: options.scaleFactor ?? 1, setTemplateImage() {}, isEmpty: () => buffer.length === 0 }),
  createEmpty: () => strict('NativeImage', { isEmpty: () => true, setTemplateImage() {} }),
});
const nativeTheme = strict('nativeTheme', Object.assign(new EventEmitter(), { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: false }));
const powerMonitor = strict('powerMonitor', Object.assign(new EventEmitter(), {
  getSystemIdleTime: () => 0,
  getSystemIdleState: () => process.env.B24_STANDIN_IDLE_STATE ?? 'active',
}));

// docs/api/safe-storage.md (async API): availability may stay pending on a keyring prompt (§7).
// B24_STANDIN_KEY_VERSION: the OS key in use; data sealed under another one still opens, with
// shouldReEncrypt (docs/api/safe-storage.md decryptStringAsync).
// On Linux the async encryptor picks its own key provider (Secret portal, Secret Service, else a
// fallback whose key is compiled into Chromium and whose ciphertext starts "v10":
// components/os_crypt/async/browser/fallback_linux_key_provider.cc); getSelectedStorageBackend
// reports the desktop-based choice of the old synchronous backend, and 'unknown' before ready
// (docs/api/safe-storage.md). B24_STANDIN_ASYNC_PROVIDER 'keyring' (default) | 'fallback';
// B24_STANDIN_SYNC_BACKEND (default 'gnome_libsecret').
const keyVersion = process.env.B24_STANDIN_KEY_VERSION ?? '1';
const providerTag = platform === 'linux' && process.env.B24_STANDIN_ASYNC_PROVIDER === 'fallback' ? 'v10' : 'v11';
const sealedPrefix = `${providerTag}standin-sealed-v${keyVersion}:`;
const safeStorage = strict('safeStorage', {
  isAsyncEncryptionAvailable: () => (process.env.B24_STANDIN_SAFE_STORAGE === 'pending' ? new Promise(() => {}) : Promise.resolve(true)),
  getSelectedStorageBackend: () => (!ready ? 'unknown' : platform === 'linux' ? (process.env.B24_STANDIN_SYNC_BACKEND ?? 'gnome_libsecret') : 'unknown'),
  encryptStringAsync: async (plain) => Buffer.from(sealedPrefix + Buffer.from(plain, 'utf8').toString('base64')),
  decryptStringAsync: async (buffer) => {
    const match = /^v1[01]standin-sealed-v(\d+):(.*)$/s.exec(buffer.toString('utf8'));
    if (!match) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: Buffer.from(match[2], 'base64').toString('utf8'), shouldReEncrypt: match[1] !== keyVersion };
  },
});
const display = { id: 1, scaleFactor: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const screen = strict('screen', {
  getPrimaryDisplay: () => display,
  getDisplayNearestPoint: () => display,
  getCursorScreenPoint() {
    // electron#41559: on Wayland this crashes the process when no window exists yet; with one, the
    // compositor tells a client nothing about the pointer outside its surfaces (0, 0 here).
    if (wayland && windows.size === 0) throw new Error('electron stand-in: screen.getCursorScreenPoint() before any window crashes Electron on Wayland (electron#41559)');
    return wayland ? { x: 0, y: 0 } : { x: 960, y: 540 };
  },
});
const session = strict('session', { defaultSession: strict('Session', { resolveProxy: async () => 'DIRECT' }) });
const shell = strict('shell', {
  // B24_STANDIN_OPEN_EXTERNAL=fail: no browser registered for the scheme (the promise rejects).
  openExternal: async (target) => {
    emitEvent('open-external', { url: target });
    if (process.env.B24_STANDIN_OPEN_EXTERNAL === 'fail') throw new Error('Failed to open: no application is associated with this link');
  },
  openPath: async (target) => {
    emitEvent('open-path', { path: target });
    return '';
  },
});
const ipcHandlers = new Map();
const ipcMain = strict('ipcMain', Object.assign(new EventEmitter(), {
  handle(channel, handler) {
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`); // docs/api/ipc-main.md
    ipcHandlers.set(channel, handler);
  },
  removeHandler: (channel) => ipcHandlers.delete(channel),
}));

// ---- the driver's commands (driver.ts)
const commands = {
  state: () => ({
    windows: [...windows].map((window) => ({ visible: window._visible, url: window.webContents.getURL() })),
    trays: [...trays].map((tray) => ({ menu: tray._menu ? tray._menu.items.filter((item) => item.label).map((item) => item.label) : [] })),
    applicationMenu: applicationMenu === null ? null : 'default',
    ipcChannels: [...ipcHandlers.keys()],
  }),
  rightClickTray: () => [...trays][0]?.emit('right-click', electronEvent(), { x: 0, y: 0, width: 0, height: 0 }),
  clickTray: () => [...trays][0]?.emit('click', electronEvent(), { x: 0, y: 0, width: 0, height: 0 }),
  clickTrayItem: (label) => {
    const tray = [...trays][0];
    // The menu the user sees: the context menu, or on macOS the one popped up on right-click.
    const item = (tray?._menu ?? tray?._popped)?.items.find((entry) => entry.label === label);
    if (!item) throw new Error(`no tray menu item "${label}"`);
    item.click?.(item, undefined, {});
  },
  closeWindow: () => [...windows][0]?.close(),
  toast: (index, details, live) => activateToast(index, details, live),
  /** ipcRenderer.sendSync from a frame: listeners set event.returnValue (docs/api/ipc-main.md). */
  sendSync: (channel, frameUrl) => {
    const event = { senderFrame: { url: frameUrl, parent: null }, returnValue: undefined };
    ipcMain.emit(channel, event);
    return event.returnValue === undefined ? '<no answer>' : event.returnValue;
  },
  blurWindow: () => [...windows][0]?.emit('blur'),
  /** A toast from before this process (a cold start, the Action Center after a restart). */
  coldToast: (details) => {
    if (platform !== 'win32' || !Notification._activation) throw new Error('no handleActivation callback registered');
    Notification._activation({ arguments: '', ...details });
  },
  notificationSupportAsked: () => Notification._supportedAsked === true,
  /** The user presses a global shortcut: its callback runs if this app holds it. */
  pressShortcut: (accelerator) => {
    const callback = shortcuts.get(accelerator);
    if (!callback) throw new Error(`no shortcut ${accelerator} is registered`);
    callback();
  },
  shortcuts: () => [...shortcuts.keys()],
  commandLineSwitches: () => commandLineSwitches,
  /**
   * Windows hides a toast by itself (docs/api/notification.md `close`, reason 'timedOut' or
   * 'userCanceled'): the instance reports `close`; a timed-out toast stays in the Action Center.
   */
  toastGone: (index, reason) => {
    const toast = toasts[index];
    if (!toast) throw new Error(`no toast ${index}`);
    if (reason !== 'timedOut') actionCenter.delete(toast._tag);
    toast.emit('close', Object.assign(electronEvent(), { reason }));
  },
  actionCenter: () => [...actionCenter.keys()],
  /** What Electron's own autoUpdater.quitAndInstall() does (Squirrel, docs/api/auto-updater.md). */
  quitAndInstall: () => autoUpdater.quitAndInstall(),
  /** What electron-updater's quitAndInstall does on Windows and Linux (BaseUpdater.js): the event, then app.quit(). */
  installerQuit: () => {
    autoUpdater.emit('before-quit-for-update');
    quit();
  },
  /** What a page's navigation or window.open asks of the main process (docs/api/web-contents.md). */
  navigate: (eventName, targetUrl) => {
    const contents = [...windows][0].webContents;
    const event = electronEvent();
    if (eventName === 'will-navigate') contents.emit('will-navigate', event, targetUrl);
    else if (eventName === 'will-frame-navigate') contents.emit('will-frame-navigate', Object.assign(event, { url: targetUrl, isMainFrame: false }));
    else if (eventName === 'will-attach-webview') contents.emit('will-attach-webview', event, {}, { src: targetUrl });
    else throw new Error(`unknown navigation ${eventName}`);
    return { prevented: event.defaultPrevented };
  },
  windowOpen: (targetUrl) => {
    const contents = [...windows][0].webContents;
    if (!contents._openHandler) return { action: 'allow' }; // docs: without a handler, new windows are allowed
    return contents._openHandler({ url: targetUrl, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'default' } });
  },
  permission: async (permission) => {
    const contents = [...windows][0].webContents;
    const { requestHandler, checkHandler } = contents._session;
    // docs/api/session.md: with no handler every request and check is granted.
    const requested = requestHandler ? await new Promise((resolve) => requestHandler(contents, permission, resolve, {})) : true;
    const checked = checkHandler ? checkHandler(contents, permission, 'file://', {}) : true;
    return { requested, checked };
  },
  webPreferences: () => [...windows][0]._options.webPreferences ?? {},
  windowBounds: () => [...windows][0].getBounds(),
  activate: () => appEmitter.emit('activate', electronEvent(), true),
  power: (name) => powerMonitor.emit(name),
  /** An IPC call as the window's renderer makes it (docs/api/ipc-main.md: event.senderFrame). */
  invoke: async (channel, payload, frameUrl) => {
    const handler = ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const window = [...windows][0];
    const frame = { url: frameUrl ?? window?.webContents.getURL() ?? '', parent: null };
    return handler({ sender: window?.webContents, senderFrame: frame }, payload);
  },
  /**
   * An IPC call from somewhere else (docs/api/ipc-main.md IpcMainInvokeEvent; web-frame-main.md):
   * `sender` 'ours' | 'other' (another window's contents) | 'none'; `frame` { url, parentUrl } |
   * 'null' (the frame navigated or was destroyed) | 'absent' | 'disposed' (reading it throws).
   */
  invokeFrom: async (channel, payload, sender, frame) => {
    const handler = ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const ours = [...windows][0]?.webContents;
    const other = new WebContents(null);
    other._url = ours?.getURL() ?? '';
    const event = {};
    if (sender === 'ours') event.sender = ours;
    else if (sender === 'other') event.sender = other;
    if (frame === 'null') event.senderFrame = null;
    else if (frame === 'disposed')
      event.senderFrame = {
        get url() {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
        parent: null,
      };
    else if (frame !== 'absent') event.senderFrame = { url: frame.url, parent: frame.parentUrl === undefined ? null : { url: frame.parentUrl, parent: null } };
    return handler(event, payload);
  },
};
process.on('message', async (message) => {
  if (!message || message.type !== 'command') return;
  try {
    const command = commands[message.name];
    if (!command) throw new Error(`unknown command ${message.name}`);
    const result = await command(...(message.args ?? []));
    send({ type: 'reply', id: message.id, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (error) {
    send({ type: 'reply', id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
// The IPC channel must not keep a quit app alive, nor end the process by itself.
process.channel?.unref();

// Named exports for `import { app } from 'electron'`: cjs-module-lexer reads these assignments;
// the default import is this same exports object.
exports.app = app;
exports.BrowserWindow = BrowserWindow;
exports.Menu = Menu;
exports.Tray = Tray;
exports.Notification = Notification;
exports.nativeImage = nativeImage;
exports.nativeTheme = nativeTheme;
exports.powerMonitor = powerMonitor;
exports.safeStorage = safeStorage;
exports.screen = screen;
exports.session = session;
exports.shell = shell;
exports.ipcMain = ipcMain;
exports.autoUpdater = autoUpdater;
exports.globalShortcut = globalShortcut;
