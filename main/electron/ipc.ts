/**
 * Carries the IPC contract over Electron: every channel is registered, every message is checked to
 * come from our own page, then handed to the dispatcher (which validates the payload).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import type { HubSnapshot } from '../core/app/hub';
import type { IpcDispatch } from '../core/ipc/dispatcher';
import { ALL_IPC_CHANNELS, IpcEvents, type IpcResult } from '../shared/ipc-contract';

const REFUSED: IpcResult<never> = Object.freeze({ ok: false, error: Object.freeze({ code: 'refused', message: 'Request refused: unknown sender.' }) });

/**
 * Only the top frame of our own page speaks for the window: not another page the window was
 * somehow sent to, not a frame inside ours, not a frame that has gone (`senderFrame` is null once
 * the frame navigated or was destroyed, and reading a disposed frame throws).
 */
function isOurPage(event: IpcMainInvokeEvent, rendererUrl: string): boolean {
  try {
    const frame = event.senderFrame;
    if (!frame || frame.parent) return false;
    // A fragment does not make it another page; everything before it must match exactly.
    return frame.url.split('#')[0] === rendererUrl;
  } catch {
    return false;
  }
}

export function registerIpcHandlers(rendererIndexPath: string, dispatch: IpcDispatch): void {
  const rendererUrl = pathToFileURL(rendererIndexPath).href;
  for (const channel of ALL_IPC_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => (isOurPage(event, rendererUrl) ? dispatch(channel, payload) : REFUSED));
  }
}

export function pushState(contents: WebContents, snapshot: HubSnapshot): void {
  if (!contents.isDestroyed()) contents.send(IpcEvents.stateChanged, snapshot);
}
