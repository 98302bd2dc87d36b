/**
 * The tray window shows only our page: it cannot be navigated, cannot embed guest pages, cannot open
 * windows, gets no permissions, and hands only vetted https links to the OS.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { createTrayWindow } from '../../main/electron/tray-window';
import { FakeBrowserWindow } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

const paths = { preloadPath: '/app/dist/preload/preload.cjs', rendererIndexPath: '/app/dist/renderer/index.html' };
const openExternal = vi.mocked(electron.shell.openExternal);

function newWindow(): FakeBrowserWindow {
  return createTrayWindow(paths, { hideOnBlur: () => false, isQuitting: () => false }) as unknown as FakeBrowserWindow;
}

/** An event as Electron passes it to listeners: only preventDefault matters here. */
function cancellable(): { preventDefault: ReturnType<typeof vi.fn> } {
  return { preventDefault: vi.fn() };
}

describe('tray window guards', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances = [];
    openExternal.mockClear();
  });

  it('runs our page sandboxed and isolated, with no Node, no webview tag and nothing relaxed', () => {
    newWindow();
    const preferences = FakeBrowserWindow.instances[0]?.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, navigateOnDragDrop: false });
    for (const relaxed of ['nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures']) {
      expect(preferences[relaxed], relaxed).toBeUndefined();
    }
  });

  it('prevents every navigation of the page and of any frame in it', () => {
    const { webContents } = newWindow();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', `file://${paths.rendererIndexPath}?other`]) {
      const navigation = cancellable();
      webContents.emit('will-navigate', navigation, url);
      expect(navigation.preventDefault, url).toHaveBeenCalled();
      const frameNavigation = cancellable();
      webContents.emit('will-frame-navigate', frameNavigation);
      expect(frameNavigation.preventDefault).toHaveBeenCalled();
    }
  });

  it('refuses to attach a <webview>', () => {
    const { webContents } = newWindow();
    const attach = cancellable();
    const webPreferences = { nodeIntegration: true };
    webContents.emit('will-attach-webview', attach, webPreferences, { src: 'https://evil.example/' });
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('denies every new window, and opens only https links in the browser, normalised', () => {
    const { webContents } = newWindow();
    const open = (url: string, disposition = 'foreground-tab') => webContents.windowOpenHandler?.({ url, disposition } as { url: string });
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'http://example.com/',
      'https://user:pass@acme.bitrix24.com/',
      'https://acme.bitrix24.com@evil.example/',
      'smb://evil.example/share',
      ' https://acme.bitrix24.com/',
      'JAVASCRIPT:alert(1)',
    ]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();

    // A middle-click (background-tab) on an https link is a click like any other: the browser, never a window.
    expect(open('HTTPS://Acme.Bitrix24.com/company/', 'background-tab')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://acme.bitrix24.com/company/');
  });

  it('keeps denying when the browser cannot be opened, and does not leave the failure unhandled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    // A plain function: a vi.fn handles the promises it returns itself, which would hide the bug.
    const opened: string[] = [];
    electron.shell.openExternal = (url: string) => {
      opened.push(url);
      return Promise.reject(new Error('no handler for https'));
    };
    try {
      const { webContents } = newWindow();
      expect(webContents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
      await new Promise((resolve) => setTimeout(resolve, 20)); // an unhandled rejection would be reported by now
      expect(opened).toEqual(['https://example.org/']);
      expect(unhandled).toEqual([]);
    } finally {
      electron.shell.openExternal = openExternal;
      process.off('unhandledRejection', record);
    }
  });

  it('denies every permission request and every permission check', () => {
    const { webContents } = newWindow();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'hid', 'serial', 'usb', 'pointerLock']) {
      const callback = vi.fn();
      webContents.permissionHandler?.(webContents, permission, callback);
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false);
      expect(webContents.permissionCheckHandler?.(webContents, permission, 'file:///'), permission).toBe(false);
    }
  });
});
