/**
 * A stand-in for the `electron` module: records what the shell asks of it. Used through
 * `vi.mock('electron', () => electronMock())`, so no test ever loads the real module.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((contents: unknown, permission: string, origin: string) => boolean) | undefined;
  readonly session = {
    setPermissionRequestHandler: (handler: FakeWebContents['permissionHandler']) => {
      this.permissionHandler = handler;
    },
    setPermissionCheckHandler: (handler: FakeWebContents['permissionCheckHandler']) => {
      this.permissionCheckHandler = handler;
    },
  };
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadFile = vi.fn(async () => undefined);
  readonly show = vi.fn();
  readonly hide = vi.fn();
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
}

export function electronMock() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  return {
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    shell: { openExternal: vi.fn(async () => undefined) },
    app: {
      getVersion: () => '0.1.0-test',
      // As under `npm start`; a test of packaged behaviour says so to the code under test.
      isPackaged: false,
      setToastActivatorCLSID: vi.fn(),
      setAppUserModelId: vi.fn(),
      requestSingleInstanceLock: vi.fn(() => true),
      dock: { hide: vi.fn() },
      quit: vi.fn(),
      on: vi.fn(),
      // Never ready: the shell tests look only at what happens before the app is ready.
      whenReady: vi.fn(() => new Promise(() => undefined)),
    },
    ipcMain: {
      handlers,
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, handler),
    },
    // The preload's side: what it exposes and what it sends.
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: {
      invoke: vi.fn(async () => ({ ok: true, value: null })),
      on: vi.fn(),
      off: vi.fn(),
    },
    Tray: FakeTray,
    Menu: FakeMenu,
    nativeImage: fakeNativeImage,
    nativeTheme: fakeNativeTheme,
    screen: fakeScreen,
  };
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static handleActivation = vi.fn();
  readonly show = vi.fn();
  readonly close = vi.fn(() => this.emit('close', {}));
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeNotification.instances.push(this);
  }
}

export interface FakeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What `nativeImage.createFromBuffer` was given, plus the template flag the shell sets. */
export class FakeNativeImage {
  readonly setTemplateImage = vi.fn((template: boolean) => {
    this.template = template;
  });
  template = false;
  constructor(
    readonly buffer: Buffer,
    readonly options: { scaleFactor?: number } | undefined,
  ) {}
}

export const fakeNativeImage = {
  createFromBuffer: vi.fn((buffer: Buffer, options?: { scaleFactor?: number }) => new FakeNativeImage(buffer, options)),
};

export interface FakeMenuItemOptions {
  label?: string;
  type?: string;
  checked?: boolean;
  click?: () => void;
}

export class FakeMenu {
  static built: FakeMenu[] = [];
  constructor(readonly items: FakeMenuItemOptions[]) {}
  static buildFromTemplate(template: FakeMenuItemOptions[]): FakeMenu {
    const menu = new FakeMenu(template);
    FakeMenu.built.push(menu);
    return menu;
  }
  /** What Electron would use as the application menu; `undefined` = its default (File/Edit/View…). */
  static applicationMenu: FakeMenu | null | undefined = undefined;
  static setApplicationMenu(menu: FakeMenu | null): void {
    FakeMenu.applicationMenu = menu;
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  bounds: FakeRect = { x: 0, y: 0, width: 0, height: 0 };
  readonly setImage = vi.fn();
  readonly setToolTip = vi.fn();
  readonly setTitle = vi.fn();
  readonly setContextMenu = vi.fn();
  readonly popUpContextMenu = vi.fn();
  readonly getBounds = vi.fn(() => this.bounds);
  destroyed = false;
  readonly destroy = vi.fn(() => {
    this.destroyed = true;
  });
  readonly isDestroyed = vi.fn(() => this.destroyed);
  constructor(readonly image: unknown) {
    super();
    FakeTray.instances.push(this);
  }
}

/** Flip `shouldUseDarkColors`, then `emit('updated')`, as the OS theme changes. */
export class FakeNativeTheme extends EventEmitter {
  shouldUseDarkColors = false;
  shouldUseDarkColorsForSystemIntegratedUI = false;
}
export const fakeNativeTheme = new FakeNativeTheme();

export const fakeScreen = {
  primaryDisplay: { scaleFactor: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } as FakeRect },
  getPrimaryDisplay: vi.fn(() => fakeScreen.primaryDisplay),
};
