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

function subscribe<E extends keyof IpcEventContract>(event: E, listener: (payload: IpcEventContract[E]) => void): () => void {
  const wrapped = (_event: unknown, payload: IpcEventContract[E]): void => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => ipcRenderer.off(event, wrapped);
}

const api = {
  appInfo: () => invoke(IpcChannels.appInfo, null),
  getState: (request: IpcRequest<typeof IpcChannels.getState> = null) => invoke(IpcChannels.getState, request),
  confirm: (request: IpcRequest<typeof IpcChannels.confirm>) => invoke(IpcChannels.confirm, request),
  answer: (request: IpcRequest<typeof IpcChannels.answer>) => invoke(IpcChannels.answer, request),
  pollNow: (request: IpcRequest<typeof IpcChannels.pollNow> = {}) => invoke(IpcChannels.pollNow, request),
  connectWebhook: (request: IpcRequest<typeof IpcChannels.connectWebhook>) => invoke(IpcChannels.connectWebhook, request),
  connectOAuth: (request: IpcRequest<typeof IpcChannels.connectOAuth>) => invoke(IpcChannels.connectOAuth, request),
  markRead: (request: IpcRequest<typeof IpcChannels.markRead>) => invoke(IpcChannels.markRead, request),
  markAllRead: (request: IpcRequest<typeof IpcChannels.markAllRead> = {}) => invoke(IpcChannels.markAllRead, request),
  dismiss: (request: IpcRequest<typeof IpcChannels.dismiss>) => invoke(IpcChannels.dismiss, request),
  snooze: (request: IpcRequest<typeof IpcChannels.snooze>) => invoke(IpcChannels.snooze, request),
  unsnooze: (request: IpcRequest<typeof IpcChannels.unsnooze>) => invoke(IpcChannels.unsnooze, request),
  setOnline: (request: IpcRequest<typeof IpcChannels.setOnline>) => invoke(IpcChannels.setOnline, request),
  getSettings: () => invoke(IpcChannels.getSettings, null),
  updateSettings: (request: IpcRequest<typeof IpcChannels.updateSettings>) => invoke(IpcChannels.updateSettings, request),
  setAutostart: (request: IpcRequest<typeof IpcChannels.setAutostart>) => invoke(IpcChannels.setAutostart, request),
  removePortal: (request: IpcRequest<typeof IpcChannels.removePortal>) => invoke(IpcChannels.removePortal, request),
  updatePortal: (request: IpcRequest<typeof IpcChannels.updatePortal>) => invoke(IpcChannels.updatePortal, request),
  dismissNotice: (request: IpcRequest<typeof IpcChannels.dismissNotice>) => invoke(IpcChannels.dismissNotice, request),
  reconnectWebhook: (request: IpcRequest<typeof IpcChannels.reconnectWebhook>) => invoke(IpcChannels.reconnectWebhook, request),
  reconnectOAuth: (request: IpcRequest<typeof IpcChannels.reconnectOAuth>) => invoke(IpcChannels.reconnectOAuth, request),
  cancelSignIn: () => invoke(IpcChannels.cancelSignIn, null),
  useMovedAddress: (request: IpcRequest<typeof IpcChannels.useMovedAddress>) => invoke(IpcChannels.useMovedAddress, request),
  reorderPortals: (request: IpcRequest<typeof IpcChannels.reorderPortals>) => invoke(IpcChannels.reorderPortals, request),
  portalCategories: (request: IpcRequest<typeof IpcChannels.portalCategories>) => invoke(IpcChannels.portalCategories, request),
  pendingAnswers: (request: IpcRequest<typeof IpcChannels.pendingAnswers>) => invoke(IpcChannels.pendingAnswers, request),
  /** Each returns the function that stops listening. */
  onStateChanged: (listener: (snapshot: IpcEventContract[typeof IpcEvents.stateChanged]) => void) => subscribe(IpcEvents.stateChanged, listener),
  onPlaySound: (listener: () => void) => subscribe(IpcEvents.playSound, listener),
  onRevealItem: (listener: (target: IpcEventContract[typeof IpcEvents.revealItem]) => void) => subscribe(IpcEvents.revealItem, listener),
};

export type Api = typeof api;

contextBridge.exposeInMainWorld('api', api);
