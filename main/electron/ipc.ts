/**
 * Carries the IPC contract over Electron: every channel is registered, every message is checked to
 * come from our own page, then handed to the dispatcher (which validates the payload).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import type { HubSnapshot } from '../core/app/hub';
import type { IpcDispatch } from '../core/ipc/dispatcher';
import { ALL_IPC_CHANNELS, IpcEvents, type IpcResult } from '../shared/ipc-contract';

const REFUSED: IpcResult<never> = { ok: false, error: { code: 'refused', message: 'Request refused: unknown sender.' } };

export function registerIpcHandlers(rendererIndexPath: string, dispatch: IpcDispatch): void {
  const rendererUrl = pathToFileURL(rendererIndexPath).href;
  const fromOurPage = (event: IpcMainInvokeEvent): boolean => event.senderFrame?.url.split('#')[0] === rendererUrl;
  for (const channel of ALL_IPC_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => (fromOurPage(event) ? dispatch(channel, payload) : REFUSED));
  }
}

export function pushState(contents: WebContents, snapshot: HubSnapshot): void {
  if (!contents.isDestroyed()) contents.send(IpcEvents.stateChanged, snapshot);
}
