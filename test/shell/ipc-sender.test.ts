/**
 * main/electron/ipc.ts answers only the top frame of our own page: any other sender is refused
 * before the dispatcher, so no handler ever runs for it.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { pathToFileURL } from 'node:url';
import { registerIpcHandlers } from '../../main/electron/ipc';
import { ALL_IPC_CHANNELS, IpcChannels } from '../../main/shared/ipc-contract';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

type Handler = (event: unknown, payload?: unknown) => unknown;
const rendererIndexPath = '/app/dist/renderer/index.html';
const ourUrl = pathToFileURL(rendererIndexPath).href;
/** The window's WebContents as the check sees it: the URL it actually loaded. */
const ourContents = { getURL: () => ourUrl };
const otherContents = { getURL: () => ourUrl };
const dispatch = vi.fn(async (_channel: string, _payload: unknown) => ({ ok: true as const, value: 'handled' }));
let handlers: Map<string, Handler>;

/** What Electron's WebFrameMain offers the check: the frame's URL and its parent (null at the top). */
function frame(url: string, parent: unknown = null): { url: string; parent: unknown } {
  return { url, parent };
}

beforeAll(() => {
  registerIpcHandlers(() => ourContents as unknown as electron.WebContents, dispatch);
  handlers = (electron.ipcMain as unknown as { handlers: Map<string, Handler> }).handlers;
});

beforeEach(() => dispatch.mockClear());

describe('IPC sender validation', () => {
  it('hands a message from our page’s top frame to the dispatcher, on every channel', async () => {
    expect([...handlers.keys()].sort()).toEqual([...ALL_IPC_CHANNELS].sort());
    for (const channel of ALL_IPC_CHANNELS) {
      await expect(handlers.get(channel)?.({ sender: ourContents, senderFrame: frame(ourUrl) }, { x: 1 })).resolves.toEqual({ ok: true, value: 'handled' });
    }
    // The fragment does not make it another page.
    await handlers.get(IpcChannels.getState)?.({ sender: ourContents, senderFrame: frame(`${ourUrl}#/settings`) }, null);
    expect(dispatch).toHaveBeenCalledTimes(ALL_IPC_CHANNELS.length + 1);
  });

  const disposed = {
    get url(): string {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    },
    parent: null,
  };

  it.each([
    ['another site', { sender: ourContents, senderFrame: frame('https://evil.example/') }],
    ['another site claiming our path', { sender: ourContents, senderFrame: frame(`https://evil.example${rendererIndexPath}`) }],
    ['another local file', { sender: ourContents, senderFrame: frame(pathToFileURL('/home/user/Downloads/evil.html').href) }],
    ['a file next to ours', { sender: ourContents, senderFrame: frame(pathToFileURL('/app/dist/renderer/other.html').href) }],
    ['a name that starts like ours', { sender: ourContents, senderFrame: frame(`${ourUrl}.evil.html`) }],
    ['our page with a query', { sender: ourContents, senderFrame: frame(`${ourUrl}?injected=1`) }],
    ['our page, but in a subframe', { sender: ourContents, senderFrame: frame(ourUrl, frame(ourUrl)) }],
    ['a subframe of another site inside our page', { sender: ourContents, senderFrame: frame('https://evil.example/', frame(ourUrl)) }],
    ['about:blank', { sender: ourContents, senderFrame: frame('about:blank') }],
    ['a data: page', { sender: ourContents, senderFrame: frame('data:text/html,<script>1</script>') }],
    ['a Chromium error page', { sender: ourContents, senderFrame: frame('chrome-error://chromewebdata/') }],
    ['DevTools', { sender: ourContents, senderFrame: frame('devtools://devtools/bundled/inspector.html') }],
    ['a frame that navigated or was destroyed (null)', { sender: ourContents, senderFrame: null }],
    ['no frame at all', { sender: ourContents }],
    ['our page’s URL, but from another window', { sender: otherContents, senderFrame: frame(ourUrl) }],
    ['no sender', { senderFrame: frame(ourUrl) }],
    ['a disposed frame whose URL cannot be read', { sender: ourContents, senderFrame: disposed }],
  ])('refuses %s without reaching the dispatcher', async (_what, event) => {
    for (const channel of ALL_IPC_CHANNELS) {
      await expect(Promise.resolve(handlers.get(channel)?.(event, { accountId: 'a', notificationId: 1, value: 'Y' }))).resolves.toEqual({
        ok: false,
        error: { code: 'refused', message: expect.any(String) },
      });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });
});
