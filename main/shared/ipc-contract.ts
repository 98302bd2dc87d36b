/**
 * The one list of IPC channels, shared by main, preload and renderer. Every channel is prefixed so
 * a stray message from elsewhere can never match, and each maps to its request and response types.
 */
export const IPC_PREFIX = 'b24:';

export const IpcChannels = {
  appInfo: `${IPC_PREFIX}app:info`,
} as const;

export interface AppInfo {
  version: string;
  platform: string;
}

export interface IpcContract {
  [IpcChannels.appInfo]: { request: void; response: AppInfo };
}

export type IpcChannel = keyof IpcContract;
