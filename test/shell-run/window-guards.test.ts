/**
 * The tray window of the real main bundle under the Electron stand-in shows only our page, and its
 * IPC answers only our page (issue 14; replaces the recorded-mock suites navigation-guards and
 * ipc-sender): no navigation, no guest pages, no new windows, no permissions, only vetted https
 * links handed to the browser; every channel refuses any sender but our window's top frame.
 * Electron's rules (what a handler's answer means, what a sender looks like) are in electron.cjs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHome, launchApp, type AppHome, type RunningApp } from '../electron-standin/driver';
import { ALL_IPC_CHANNELS } from '../../main/shared/ipc-contract';

let home: AppHome;
let app: RunningApp;
let ourUrl: string;

beforeAll(async () => {
  home = appHome({ B24_STANDIN_OPEN_EXTERNAL: 'fail' });
  app = launchApp(home);
  await app.event('window-show');
  ourUrl = (await app.state()).windows[0]?.url ?? '';
});
afterAll(async () => {
  await app.kill();
  home.cleanup();
});

const opened = (): string[] => app.events.filter((event) => event.name === 'open-external').map((event) => String(event.url));

describe('the tray window shows only our page (stand-in)', () => {
  it('runs the page sandboxed and isolated, with no Node, no webview tag, nothing relaxed', async () => {
    expect(await app.command('webPreferences')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('prevents every navigation of the page and of any frame, and every <webview>', async () => {
    for (const kind of ['will-navigate', 'will-frame-navigate', 'will-attach-webview']) {
      expect(await app.command('navigate', kind, 'https://evil.example/'), kind).toEqual({ prevented: true });
    }
  });

  it('denies every new window, hands only https links to the browser, and survives a browser that will not open', async () => {
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
      expect(await app.command('windowOpen', url), url).toEqual({ action: 'deny' });
    }
    expect(opened()).toEqual([]);
    // A link the user clicked: the browser, normalised, never a window of ours. The browser fails
    // to open here (B24_STANDIN_OPEN_EXTERNAL=fail): the app must not die of the rejection.
    expect(await app.command('windowOpen', 'HTTPS://Acme.Bitrix24.com/company/')).toEqual({ action: 'deny' });
    expect(opened()).toEqual(['https://acme.bitrix24.com/company/']);
    expect(await app.command('invoke', 'b24:state:get', null)).toMatchObject({ ok: true });
    expect(app.output()).not.toMatch(/unhandled/i);
  });

  it('denies every permission request and check', async () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'hid', 'serial', 'usb', 'pointerLock']) {
      expect(await app.command('permission', permission), permission).toEqual({ requested: false, checked: false });
    }
  });
});

type Frame = { url: string; parentUrl?: string } | 'null' | 'absent' | 'disposed';
const REFUSED = { ok: false, error: { code: 'refused', message: expect.any(String) } };

describe('IPC answers only our page (stand-in)', () => {
  it('reaches the app from our top frame on every channel (a fragment is still our page)', async () => {
    for (const channel of ALL_IPC_CHANNELS) {
      const result = await app.command<{ ok: boolean; error?: { code: string } }>('invokeFrom', channel, { x: 1 }, 'ours', { url: ourUrl });
      // The payload is nonsense for most channels: what matters is that it was not refused as a sender.
      expect(result.error?.code, channel).not.toBe('refused');
    }
    expect(await app.command('invokeFrom', 'b24:state:get', null, 'ours', { url: `${ourUrl}#/settings` })).toMatchObject({ ok: true });
  });

  const cases: [string, 'ours' | 'other' | 'none', () => Frame][] = [
    ['another site', 'ours', () => ({ url: 'https://evil.example/' })],
    ['another site claiming our path', 'ours', () => ({ url: `https://evil.example${new URL(ourUrl).pathname}` })],
    ['another local file', 'ours', () => ({ url: 'file:///home/user/Downloads/evil.html' })],
    ['a file next to ours', 'ours', () => ({ url: ourUrl.replace(/index\.html$/, 'other.html') })],
    ['a name that starts like ours', 'ours', () => ({ url: `${ourUrl}.evil.html` })],
    ['our page with a query', 'ours', () => ({ url: `${ourUrl}?injected=1` })],
    ['our page, but in a subframe', 'ours', () => ({ url: ourUrl, parentUrl: ourUrl })],
    ['a subframe of another site inside our page', 'ours', () => ({ url: 'https://evil.example/', parentUrl: ourUrl })],
    ['about:blank', 'ours', () => ({ url: 'about:blank' })],
    ['a data: page', 'ours', () => ({ url: 'data:text/html,<script>1</script>' })],
    ['a Chromium error page', 'ours', () => ({ url: 'chrome-error://chromewebdata/' })],
    ['DevTools', 'ours', () => ({ url: 'devtools://devtools/bundled/inspector.html' })],
    ['a frame that navigated or was destroyed (null)', 'ours', () => 'null'],
    ['no frame at all', 'ours', () => 'absent'],
    ['a disposed frame whose URL cannot be read', 'ours', () => 'disposed'],
    ['our page’s URL, but from another window', 'other', () => ({ url: ourUrl })],
    ['no sender', 'none', () => ({ url: ourUrl })],
  ];
  it.each(cases)('refuses %s on every channel', async (_what, sender, frame) => {
    for (const channel of ALL_IPC_CHANNELS) {
      expect(await app.command('invokeFrom', channel, { accountId: 'a', notificationId: 1, value: 'Y' }, sender, frame()), channel).toEqual(REFUSED);
    }
  });
});
