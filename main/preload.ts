/**
 * The renderer's only door to the main process: one narrow `api` object, never raw ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IpcChannels, type AppInfo } from './shared/ipc-contract';

const api = {
  appInfo: (): Promise<AppInfo> => ipcRenderer.invoke(IpcChannels.appInfo) as Promise<AppInfo>,
};

export type Api = typeof api;

contextBridge.exposeInMainWorld('api', api);
