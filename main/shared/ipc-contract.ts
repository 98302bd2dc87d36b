/**
 * The one contract between the main process and the tray window, shared by main, preload and
 * renderer (types only cross into the renderer). Channel names carry a prefix so nothing else can
 * match; each maps to its request and response; every reply is an IpcResult, never a thrown error.
 */
import type { AccountChange } from '../core/accounts/account-store';
import type { PendingAction } from '../core/engine/account-engine';
import type { NotificationCategory } from '../core/notifications/categories';
import type { SettingsView } from '../core/app/settings-service';
import type { StateMessage } from './state-messages';
import type { AppSettings } from '../core/settings/settings';

export const IPC_PREFIX = 'b24:';

/** Renderer → main, request and response. */
export const IpcChannels = {
  appInfo: `${IPC_PREFIX}app:info`,
  getState: `${IPC_PREFIX}state:get`,
  confirm: `${IPC_PREFIX}action:confirm`,
  answer: `${IPC_PREFIX}action:answer`,
  pollNow: `${IPC_PREFIX}poll:now`,
  connectWebhook: `${IPC_PREFIX}accounts:connect-webhook`,
  connectOAuth: `${IPC_PREFIX}accounts:connect-oauth`,
  /** A new webhook URL for a connected portal (same portal and user), keeping all it holds. */
  reconnectWebhook: `${IPC_PREFIX}accounts:reconnect-webhook`,
  /** Sign a connected OAuth portal in again (same application, portal and user), keeping all it holds. */
  reconnectOAuth: `${IPC_PREFIX}accounts:reconnect-oauth`,
  /** Stop waiting for the portal's sign-in answer (a refused sign-in never calls back). */
  cancelSignIn: `${IPC_PREFIX}accounts:cancel-sign-in`,
  /** The window reports the network going away or coming back (main has no such event). */
  setOnline: `${IPC_PREFIX}system:online`,
  markRead: `${IPC_PREFIX}items:mark-read`,
  markAllRead: `${IPC_PREFIX}items:mark-all-read`,
  dismiss: `${IPC_PREFIX}items:dismiss`,
  snooze: `${IPC_PREFIX}items:snooze`,
  unsnooze: `${IPC_PREFIX}items:unsnooze`,
  getSettings: `${IPC_PREFIX}settings:get`,
  updateSettings: `${IPC_PREFIX}settings:update`,
  setAutostart: `${IPC_PREFIX}settings:autostart`,
  removePortal: `${IPC_PREFIX}accounts:remove`,
  /** Rename, recolour, enable/disable, mute categories. */
  updatePortal: `${IPC_PREFIX}accounts:update`,
  reorderPortals: `${IPC_PREFIX}accounts:reorder`,
  /** The portal said it moved: the user agrees to use the address it named. */
  useMovedAddress: `${IPC_PREFIX}accounts:use-moved-address`,
  portalCategories: `${IPC_PREFIX}accounts:categories`,
  /** The user read a notice (a storage problem, say) and closes it. */
  dismissNotice: `${IPC_PREFIX}notices:dismiss`,
  /** Answers not yet settled, listed before a portal is removed. */
  pendingAnswers: `${IPC_PREFIX}accounts:pending`,
} as const;

/** Main → renderer, pushed. */
export const IpcEvents = {
  stateChanged: `${IPC_PREFIX}state:changed`,
  /** Play the app's own new-item sound (the window owns audio output). */
  playSound: `${IPC_PREFIX}sound:play`,
  /** Show the window scrolled to this item (a popup was clicked where buttons are unavailable). */
  revealItem: `${IPC_PREFIX}item:reveal`,
} as const;

export interface AppInfo {
  version: string;
  platform: string;
}

export interface ConfirmRequest {
  accountId: string;
  notificationId: number;
  value: string;
}

export interface AnswerRequest {
  accountId: string;
  notificationId: number;
  text: string;
}

/** The action is in the outbox; its outcome arrives with the state. */
export interface ActionAccepted {
  queued: true;
}

export interface IpcContract {
  [IpcChannels.appInfo]: { request: null; response: AppInfo };
  /** `firstItems`: only that many items per portal first (the first screenful; the rest follows). */
  [IpcChannels.getState]: { request: { firstItems?: number } | null; response: Extract<StateMessage, { kind: 'full' }> };
  [IpcChannels.confirm]: { request: ConfirmRequest; response: ActionAccepted };
  [IpcChannels.answer]: { request: AnswerRequest; response: ActionAccepted };
  [IpcChannels.pollNow]: { request: { accountId?: string }; response: null };
  /** `allowHttp`: the user allowed plain HTTP to this on-premise portal (the code travels in clear). */
  [IpcChannels.connectWebhook]: { request: { url: string; allowHttp?: boolean }; response: { accountId: string; name: string } };
  [IpcChannels.connectOAuth]: { request: { portal: string; clientId: string; clientSecret: string }; response: { accountId: string; name: string } };
  [IpcChannels.reconnectWebhook]: { request: { accountId: string; url: string }; response: SettingsView };
  [IpcChannels.reconnectOAuth]: { request: { accountId: string }; response: SettingsView };
  [IpcChannels.cancelSignIn]: { request: null; response: { cancelled: boolean } };
  [IpcChannels.setOnline]: { request: { online: boolean }; response: null };
  [IpcChannels.markRead]: { request: { accountId: string; notificationIds: number[] }; response: null };
  [IpcChannels.markAllRead]: { request: { accountId?: string }; response: null };
  [IpcChannels.dismiss]: { request: { accountId: string; notificationId: number }; response: null };
  /** Hides an item until the chosen time (local time; `at` in epoch ms); answers the wake time. */
  [IpcChannels.snooze]: { request: { accountId: string; notificationId: number; until: SnoozeUntil }; response: { wakeAtMs: number } };
  /** Shows a snoozed item again now. */
  [IpcChannels.unsnooze]: { request: { accountId: string; notificationId: number }; response: null };
  [IpcChannels.getSettings]: { request: null; response: SettingsView };
  [IpcChannels.updateSettings]: { request: Partial<AppSettings>; response: SettingsView };
  [IpcChannels.setAutostart]: { request: { enabled: boolean }; response: SettingsView };
  [IpcChannels.removePortal]: { request: { accountId: string }; response: SettingsView };
  [IpcChannels.updatePortal]: { request: { accountId: string; change: AccountChange }; response: SettingsView };
  [IpcChannels.reorderPortals]: { request: { accountIds: string[] }; response: SettingsView };
  [IpcChannels.useMovedAddress]: { request: { accountId: string }; response: SettingsView };
  [IpcChannels.portalCategories]: { request: { accountId: string }; response: NotificationCategory[] };
  [IpcChannels.pendingAnswers]: { request: { accountId: string }; response: PendingAction[] };
  [IpcChannels.dismissNotice]: { request: { id: string }; response: null };
}

export interface IpcEventContract {
  /** Numbered changes after the state the window asked for (main/shared/state-messages.ts). */
  [IpcEvents.stateChanged]: StateMessage;
  [IpcEvents.playSound]: null;
  [IpcEvents.revealItem]: { accountId: string; notificationId: number; reply?: boolean };
}

export type IpcChannel = keyof IpcContract;
export type IpcRequest<C extends IpcChannel> = IpcContract[C]['request'];
export type IpcResponse<C extends IpcChannel> = IpcContract[C]['response'];

/** core/app/snoozes.ts SnoozeChoice, as the window sends it. */
export type SnoozeUntil = { kind: 'hour' } | { kind: 'tomorrow' } | { kind: 'monday' } | { kind: 'at'; atMs: number };

export type IpcErrorCode = 'unknown-channel' | 'invalid-payload' | 'refused' | 'internal' | (string & {});
export interface IpcError {
  code: IpcErrorCode;
  /** English; the window shows its own words for `reason` where it knows it. */
  message: string;
  /** Finer than `code`, e.g. why a connection was refused. */
  reason?: string;
  details?: Record<string, string>;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ALL_IPC_CHANNELS = Object.values(IpcChannels) as IpcChannel[];
