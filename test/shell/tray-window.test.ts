import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { createTrayWindow } from '../../main/electron/tray-window';
import { FakeBrowserWindow } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

const paths = { preloadPath: '/app/dist/preload/preload.cjs', rendererIndexPath: '/app/dist/renderer/index.html' };
let hideOnBlur = true;
const quitting = false;

describe('tray window', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
  });

  it('is created with Electron’s secure web preferences and our preload', () => {
    createTrayWindow(paths, { hideOnBlur: () => hideOnBlur, isQuitting: () => quitting });
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
    const window = createTrayWindow(paths, { hideOnBlur: () => hideOnBlur, isQuitting: () => quitting }) as unknown as FakeBrowserWindow;
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

  it('hides on blur when the setting says so, and on Escape', () => {
    const window = createTrayWindow(paths, { hideOnBlur: () => hideOnBlur, isQuitting: () => quitting }) as unknown as FakeBrowserWindow;
    hideOnBlur = false;
    window.emit('blur');
    expect(window.hide).not.toHaveBeenCalled();
    hideOnBlur = true;
    window.emit('blur');
    expect(window.hide).toHaveBeenCalledTimes(1);
    const escape = { preventDefault: vi.fn() };
    window.webContents.emit('before-input-event', escape, { type: 'keyDown', key: 'Escape' });
    window.webContents.emit('before-input-event', { preventDefault: vi.fn() }, { type: 'keyDown', key: 'a' });
    expect(escape.preventDefault).toHaveBeenCalled();
    expect(window.hide).toHaveBeenCalledTimes(2);
  });
});
