/**
 * Carries the IPC contract over Electron: every channel is registered, every message is checked to
 * come from our own page, then handed to the dispatcher (which validates the payload).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { IpcDispatch } from '../core/ipc/dispatcher';
import { ALL_IPC_CHANNELS, IpcEvents, type IpcResult } from '../shared/ipc-contract';
import type { StateMessage } from '../shared/state-messages';

const REFUSED: IpcResult<never> = Object.freeze({ ok: false, error: Object.freeze({ code: 'refused', message: 'Request refused: unknown sender.' }) });

/** The tray window's contents, once it exists. */
export type OurWindow = () => WebContents | undefined;

/**
 * Only the top frame of our own page in our own window speaks for it: not another window, not
 * another page the window was somehow sent to, not a frame inside ours, not a frame that has gone
 * (`senderFrame` is null once the frame navigated or was destroyed, and reading a disposed frame
 * throws). The page is compared with the URL the window actually loaded (`getURL()` after
 * loadFile), never a URL rebuilt from the path: pathToFileURL escapes a `%` or a space in the
 * install or profile path differently from Electron's loadFile (electron-platform-notes §7).
 */
function isOurPage(event: IpcMainInvokeEvent, ourWindow: OurWindow): boolean {
  try {
    const contents = ourWindow();
    if (!contents || event.sender !== contents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent) return false;
    const loaded = contents.getURL();
    // A fragment does not make it another page; everything before it must match exactly.
    return loaded !== '' && frame.url.split('#')[0] === loaded.split('#')[0];
  } catch {
    return false;
  }
}

export function registerIpcHandlers(ourWindow: OurWindow, dispatch: IpcDispatch): void {
  for (const channel of ALL_IPC_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => (isOurPage(event, ourWindow) ? dispatch(channel, payload) : REFUSED));
  }
}

export function pushState(contents: WebContents, message: StateMessage): void {
  if (!contents.isDestroyed()) contents.send(IpcEvents.stateChanged, message);
}
