import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { pathToFileURL } from 'node:url';
import { registerIpcHandlers } from '../../main/electron/ipc';
import { createTrayWindow } from '../../main/electron/tray-window';
import { IpcChannels } from '../../main/shared/ipc-contract';
import { FakeBrowserWindow } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

const paths = { preloadPath: '/app/dist/preload/preload.cjs', rendererIndexPath: '/app/dist/renderer/index.html' };

describe('tray window', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
  });

  it('is created with Electron’s secure web preferences and our preload', () => {
    createTrayWindow(paths);
    const [window] = FakeBrowserWindow.instances;
    expect(window?.options.webPreferences).toMatchObject({
      preload: paths.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window?.loadFile).toHaveBeenCalledWith(paths.rendererIndexPath);
  });

  it('blocks navigation, new windows and permission requests', () => {
    const window = createTrayWindow(paths) as unknown as FakeBrowserWindow;
    const navigation = { preventDefault: vi.fn() };
    window.webContents.emit('will-navigate', navigation);
    expect(navigation.preventDefault).toHaveBeenCalled();

    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'http://example.com/']) {
      expect(window.webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(window.webContents.windowOpenHandler?.({ url: 'https://acme.bitrix24.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://acme.bitrix24.com/');

    const granted = vi.fn();
    window.webContents.permissionHandler?.(undefined, 'notifications', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it('hides instead of closing, since the app lives in the tray', () => {
    const window = createTrayWindow(paths) as unknown as FakeBrowserWindow;
    const closing = { preventDefault: vi.fn() };
    window.emit('close', closing);
    expect(closing.preventDefault).toHaveBeenCalled();
    expect(window.hide).toHaveBeenCalled();
  });
});

describe('IPC handlers', () => {
  it('answer our own page and refuse any other sender', async () => {
    registerIpcHandlers(paths.rendererIndexPath);
    const handlers = (electron.ipcMain as unknown as { handlers: Map<string, (event: unknown) => unknown> }).handlers;
    const appInfo = handlers.get(IpcChannels.appInfo);
    const ours = { senderFrame: { url: pathToFileURL(paths.rendererIndexPath).href } };
    expect(await appInfo?.(ours)).toEqual({ version: '0.1.0-test', platform: process.platform });
    expect(() => appInfo?.({ senderFrame: { url: 'https://evil.example.com/' } })).toThrow(/unknown sender/);
    expect(() => appInfo?.({ senderFrame: null })).toThrow(/unknown sender/);
  });
});
