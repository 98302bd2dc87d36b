/**
 * A stand-in for the `electron` module: records what the shell asks of it. Used through
 * `vi.mock('electron', () => electronMock())`, so no test ever loads the real module.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  readonly session = {
    setPermissionRequestHandler: (handler: FakeWebContents['permissionHandler']) => {
      this.permissionHandler = handler;
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
    app: { getVersion: () => '0.1.0-test', setToastActivatorCLSID: vi.fn(), setAppUserModelId: vi.fn() },
    ipcMain: {
      handlers,
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, handler),
    },
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
