/**
 * The renderer's only door to the main process: one narrow `api` object built from the IPC
 * contract, never raw ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  IpcChannels,
  IpcEvents,
  type IpcChannel,
  type IpcEventContract,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
} from './shared/ipc-contract';

function invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
  return ipcRenderer.invoke(channel, request) as Promise<IpcResult<IpcResponse<C>>>;
}

const api = {
  appInfo: () => invoke(IpcChannels.appInfo, null),
  getState: () => invoke(IpcChannels.getState, null),
  confirm: (request: IpcRequest<typeof IpcChannels.confirm>) => invoke(IpcChannels.confirm, request),
  answer: (request: IpcRequest<typeof IpcChannels.answer>) => invoke(IpcChannels.answer, request),
  pollNow: (request: IpcRequest<typeof IpcChannels.pollNow> = {}) => invoke(IpcChannels.pollNow, request),
  /** Returns the function that stops listening. */
  onStateChanged: (listener: (snapshot: IpcEventContract[typeof IpcEvents.stateChanged]) => void): (() => void) => {
    const wrapped = (_event: unknown, snapshot: IpcEventContract[typeof IpcEvents.stateChanged]): void => listener(snapshot);
    ipcRenderer.on(IpcEvents.stateChanged, wrapped);
    return () => ipcRenderer.off(IpcEvents.stateChanged, wrapped);
  },
};

export type Api = typeof api;

contextBridge.exposeInMainWorld('api', api);
