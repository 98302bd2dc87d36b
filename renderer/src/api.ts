/**
 * The window's one door to the app: the preload's `api` inside Electron, or the same `api` over
 * the preview's loopback WebSocket (token from the URL fragment) when running in a browser.
 */
import type { Api } from '../../main/preload';
import { BRIDGE_PATH, type BridgeMessage, type BridgeRequest } from '../../main/shared/bridge-protocol';
import { IpcChannels, IpcEvents, type IpcEventContract, type IpcResult } from '../../main/shared/ipc-contract';

declare global {
  interface Window {
    /** Present inside Electron (preload); absent in a plain browser tab. */
    api?: Api;
  }
}

type EventListener<E extends keyof IpcEventContract> = (payload: IpcEventContract[E]) => void;

function createBridgeApi(token: string): Api {
  const url = new URL(BRIDGE_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.searchParams.set('token', token);
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('The preview bridge is not reachable.')), { once: true });
  });
  const pending = new Map<number, (result: IpcResult<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let nextId = 1;
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as BridgeMessage;
    if (message.kind === 'reply') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.event) ?? []) (listener as (payload: unknown) => void)(message.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'internal', message: 'The preview stopped.' } });
    pending.clear();
  });
  const invoke = async <T>(channel: string, payload: unknown): Promise<IpcResult<T>> => {
    await opened;
    const id = nextId++;
    const request: BridgeRequest = { id, channel, payload };
    return new Promise((resolve) => {
      pending.set(id, resolve as (result: IpcResult<unknown>) => void);
      socket.send(JSON.stringify(request));
    });
  };
  const subscribe = <E extends keyof IpcEventContract>(event: E, listener: EventListener<E>): (() => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  };
  return {
    appInfo: () => invoke(IpcChannels.appInfo, null),
    getState: (request = null) => invoke(IpcChannels.getState, request),
    confirm: (request) => invoke(IpcChannels.confirm, request),
    answer: (request) => invoke(IpcChannels.answer, request),
    pollNow: (request = {}) => invoke(IpcChannels.pollNow, request),
    connectWebhook: (request) => invoke(IpcChannels.connectWebhook, request),
    connectOAuth: (request) => invoke(IpcChannels.connectOAuth, request),
    markRead: (request) => invoke(IpcChannels.markRead, request),
    markAllRead: (request = {}) => invoke(IpcChannels.markAllRead, request),
    dismiss: (request) => invoke(IpcChannels.dismiss, request),
    snooze: (request) => invoke(IpcChannels.snooze, request),
    unsnooze: (request) => invoke(IpcChannels.unsnooze, request),
    setOnline: (request) => invoke(IpcChannels.setOnline, request),
    getSettings: () => invoke(IpcChannels.getSettings, null),
    updateSettings: (request) => invoke(IpcChannels.updateSettings, request),
    setAutostart: (request) => invoke(IpcChannels.setAutostart, request),
    removePortal: (request) => invoke(IpcChannels.removePortal, request),
    updatePortal: (request) => invoke(IpcChannels.updatePortal, request),
    dismissNotice: (request) => invoke(IpcChannels.dismissNotice, request),
    reconnectWebhook: (request) => invoke(IpcChannels.reconnectWebhook, request),
    reconnectOAuth: (request) => invoke(IpcChannels.reconnectOAuth, request),
    cancelSignIn: () => invoke(IpcChannels.cancelSignIn, null),
    useMovedAddress: (request) => invoke(IpcChannels.useMovedAddress, request),
    reorderPortals: (request) => invoke(IpcChannels.reorderPortals, request),
    portalCategories: (request) => invoke(IpcChannels.portalCategories, request),
    pendingAnswers: (request) => invoke(IpcChannels.pendingAnswers, request),
    onStateChanged: (listener) => subscribe(IpcEvents.stateChanged, listener),
    onPlaySound: (listener) => subscribe(IpcEvents.playSound, listener),
    onRevealItem: (listener) => subscribe(IpcEvents.revealItem, listener),
  };
}

let cached: Api | undefined;

export function getApi(): Api | undefined {
  if (cached) return cached;
  const token = location.hash.slice(1);
  cached = window.api ?? (token ? createBridgeApi(token) : undefined);
  return cached;
}
