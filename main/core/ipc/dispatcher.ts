/**
 * The main-process side of the IPC contract, whatever carries it (Electron's ipcMain, or the
 * preview's WebSocket): every payload is checked against its channel's schema before a handler
 * sees it, and every outcome becomes an IpcResult, so a malformed or hostile message gets an
 * error reply and never reaches the portal or crashes main.
 */
import * as v from 'valibot';
import { AccountChangeSchema, UnknownAccountIdError } from '../accounts/account-store';
import { ActionRefused } from '../engine/account-engine';
import { PortalNotMovedError, PortalNotRunningError } from '../app/accounts-service';
import { ConnectError } from '../app/connect';
import { UnknownAccountError } from '../app/hub';
import { SnoozeTimeError } from '../app/snoozes';
import { HotkeyError } from '../app/hotkey';
import { PortalError } from '../portal/errors';
import { AppSettingsSchema } from '../settings/settings';
import { ALL_IPC_CHANNELS, IpcChannels, type IpcChannel, type IpcRequest, type IpcResponse, type IpcResult } from '../../shared/ipc-contract';

/** One handler per channel; leaving one out is a compile error. */
export type IpcHandlers = { [C in IpcChannel]: (request: IpcRequest<C>) => IpcResponse<C> | Promise<IpcResponse<C>> };

const AccountId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));
const NotificationId = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER));

/** One schema per channel; leaving one out is a compile error too. */
export const IPC_REQUEST_SCHEMAS: { [C in IpcChannel]: v.GenericSchema<unknown, IpcRequest<C>> } = {
  [IpcChannels.appInfo]: v.null(),
  [IpcChannels.getState]: v.nullable(v.strictObject({ firstItems: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))) })),
  [IpcChannels.confirm]: v.strictObject({ accountId: AccountId, notificationId: NotificationId, value: v.pipe(v.string(), v.minLength(1), v.maxLength(255)) }),
  [IpcChannels.answer]: v.strictObject({ accountId: AccountId, notificationId: NotificationId, text: v.pipe(v.string(), v.maxLength(20_000)) }),
  [IpcChannels.pollNow]: v.strictObject({ accountId: v.optional(AccountId) }),
  [IpcChannels.connectWebhook]: v.strictObject({ url: v.pipe(v.string(), v.maxLength(2_000)), allowHttp: v.optional(v.boolean()) }),
  [IpcChannels.reconnectWebhook]: v.strictObject({ accountId: AccountId, url: v.pipe(v.string(), v.maxLength(2_000)) }),
  [IpcChannels.reconnectOAuth]: v.strictObject({ accountId: AccountId }),
  [IpcChannels.cancelSignIn]: v.null(),
  [IpcChannels.connectOAuth]: v.strictObject({
    portal: v.pipe(v.string(), v.maxLength(2_000)),
    clientId: v.pipe(v.string(), v.maxLength(200)),
    clientSecret: v.pipe(v.string(), v.maxLength(500)),
  }),
  [IpcChannels.markRead]: v.strictObject({ accountId: AccountId, notificationIds: v.pipe(v.array(NotificationId), v.minLength(1), v.maxLength(500)) }),
  [IpcChannels.markAllRead]: v.strictObject({ accountId: v.optional(AccountId) }),
  [IpcChannels.dismiss]: v.strictObject({ accountId: AccountId, notificationId: NotificationId }),
  [IpcChannels.snooze]: v.strictObject({
    accountId: AccountId,
    notificationId: NotificationId,
    until: v.variant('kind', [
      v.strictObject({ kind: v.picklist(['hour', 'tomorrow', 'monday']) }),
      v.strictObject({ kind: v.literal('at'), atMs: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
    ]),
  }),
  [IpcChannels.unsnooze]: v.strictObject({ accountId: AccountId, notificationId: NotificationId }),
  [IpcChannels.setOnline]: v.strictObject({ online: v.boolean() }),
  [IpcChannels.getSettings]: v.null(),
  [IpcChannels.updateSettings]: v.strictObject(v.partial(AppSettingsSchema).entries),
  [IpcChannels.setAutostart]: v.strictObject({ enabled: v.boolean() }),
  [IpcChannels.removePortal]: v.strictObject({ accountId: AccountId }),
  [IpcChannels.updatePortal]: v.strictObject({ accountId: AccountId, change: AccountChangeSchema }),
  [IpcChannels.reorderPortals]: v.strictObject({ accountIds: v.pipe(v.array(AccountId), v.minLength(1), v.maxLength(100)) }),
  [IpcChannels.portalCategories]: v.strictObject({ accountId: AccountId }),
  [IpcChannels.useMovedAddress]: v.strictObject({ accountId: AccountId }),
  [IpcChannels.pendingAnswers]: v.strictObject({ accountId: AccountId }),
  [IpcChannels.dismissNotice]: v.strictObject({ id: v.pipe(v.string(), v.regex(/^notice-\d{1,9}$/)) }),
};

export type IpcDispatch = (channel: string, payload: unknown) => Promise<IpcResult<unknown>>;

export function createIpcDispatcher(handlers: IpcHandlers, reportInternalError: (error: unknown) => void = () => undefined): IpcDispatch {
  const known = new Set<string>(ALL_IPC_CHANNELS);
  return async (channel, payload) => {
    if (!known.has(channel)) return { ok: false, error: { code: 'unknown-channel', message: 'Unknown request.' } };
    const typed = channel as IpcChannel;
    try {
      // Inside the try: a hostile payload (a throwing getter, say) must also end as a reply.
      const parsed = v.safeParse(IPC_REQUEST_SCHEMAS[typed], payload);
      if (!parsed.success) return { ok: false, error: { code: 'invalid-payload', message: `Invalid request: ${v.summarize(parsed.issues)}` } };
      const handler = handlers[typed] as (request: unknown) => unknown;
      return { ok: true, value: await handler(parsed.output) };
    } catch (error) {
      if (error instanceof ActionRefused) return { ok: false, error: { code: error.reason, message: error.message } };
      if (error instanceof UnknownAccountError || error instanceof UnknownAccountIdError || error instanceof PortalNotRunningError || error instanceof PortalNotMovedError) {
        return { ok: false, error: { code: 'refused', message: error.message } };
      }
      if (error instanceof SnoozeTimeError) return { ok: false, error: { code: 'invalid-time', message: error.message } };
      if (error instanceof HotkeyError) return { ok: false, error: { code: 'hotkey', message: error.message } };
      if (error instanceof PortalError) return { ok: false, error: { code: 'portal-error', message: error.userMessage, reason: error.kind } };
      if (error instanceof ConnectError) {
        return { ok: false, error: { code: 'connect-failed', message: error.message, reason: error.reason, details: error.details } };
      }
      reportInternalError(error);
      return { ok: false, error: { code: 'internal', message: 'Something went wrong in B24 Notify; the details are in the log.' } };
    }
  };
}
