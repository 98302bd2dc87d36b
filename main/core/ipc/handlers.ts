/**
 * What each IPC channel does, in terms of the hub. Actions are accepted once they are in the
 * outbox; their outcome reaches the window with the next state.
 */
import type { AccountsService } from '../app/accounts-service';
import type { NotificationHub } from '../app/hub';
import { SignInGate, type OAuthConnectInput } from '../app/connect-oauth';
import type { SettingsService } from '../app/settings-service';
import type { StateFeed } from '../app/state-feed';
import type { AppInfo } from '../../shared/ipc-contract';
import { IpcChannels } from '../../shared/ipc-contract';
import type { IpcHandlers } from './dispatcher';

export interface IpcServices {
  hub: NotificationHub;
  /** The window's state as numbered changes; the same feed that pushes them. */
  feed: StateFeed;
  appInfo: () => AppInfo;
  connectWebhook: (url: string, options?: { allowHttp?: boolean }) => Promise<{ id: string; name: string }>;
  /** `signal` cancels the wait for the portal's answer (the window's Cancel). */
  connectOAuth: (input: OAuthConnectInput, signal: AbortSignal) => Promise<{ id: string; name: string }>;
  reconnectWebhook: (accountId: string, url: string) => Promise<unknown>;
  reconnectOAuth: (accountId: string, signal: AbortSignal) => Promise<unknown>;
  settings: SettingsService;
  portals: AccountsService;
}

export function hubIpcHandlers({ hub, feed, appInfo, connectWebhook, connectOAuth, reconnectWebhook, reconnectOAuth, settings, portals }: IpcServices): IpcHandlers {
  const signIns = new SignInGate();
  return {
    [IpcChannels.appInfo]: () => appInfo(),
    [IpcChannels.getState]: (request) => feed.full(request?.firstItems),
    [IpcChannels.confirm]: ({ accountId, notificationId, value }) => {
      void hub.confirm(accountId, notificationId, value, 'window');
      return { queued: true };
    },
    [IpcChannels.answer]: ({ accountId, notificationId, text }) => {
      void hub.answer(accountId, notificationId, text, 'window');
      return { queued: true };
    },
    [IpcChannels.pollNow]: ({ accountId }) => {
      hub.pollNow(accountId);
      return null;
    },
    [IpcChannels.markRead]: ({ accountId, notificationIds }) => {
      hub.markRead(accountId, notificationIds);
      return null;
    },
    [IpcChannels.markAllRead]: ({ accountId }) => {
      hub.markAllRead(accountId);
      return null;
    },
    [IpcChannels.dismiss]: ({ accountId, notificationId }) => {
      hub.dismiss(accountId, notificationId);
      return null;
    },
    [IpcChannels.snooze]: ({ accountId, notificationId, until }) => ({ wakeAtMs: hub.snooze(accountId, notificationId, until) }),
    [IpcChannels.unsnooze]: ({ accountId, notificationId }) => {
      hub.unsnooze(accountId, notificationId);
      return null;
    },
    [IpcChannels.setOnline]: ({ online }) => {
      hub.setSystemState({ online });
      return null;
    },
    [IpcChannels.getSettings]: () => settings.view(),
    [IpcChannels.updateSettings]: (change) => settings.update(change),
    [IpcChannels.setAutostart]: ({ enabled }) => settings.setAutostart(enabled),
    [IpcChannels.removePortal]: async ({ accountId }) => {
      await portals.remove(accountId);
      return settings.view();
    },
    [IpcChannels.updatePortal]: async ({ accountId, change }) => {
      await portals.update(accountId, change);
      return settings.view();
    },
    [IpcChannels.reorderPortals]: ({ accountIds }) => {
      portals.reorder(accountIds);
      return settings.view();
    },
    [IpcChannels.useMovedAddress]: async ({ accountId }) => {
      await portals.useMovedAddress(accountId);
      return settings.view();
    },
    [IpcChannels.portalCategories]: ({ accountId }) => portals.categories(accountId),
    [IpcChannels.pendingAnswers]: ({ accountId }) => portals.pendingActions(accountId),
    [IpcChannels.dismissNotice]: ({ id }) => {
      hub.dismissNotice(id);
      return null;
    },
    [IpcChannels.connectWebhook]: async ({ url, allowHttp }) => {
      const account = await connectWebhook(url, allowHttp === true ? { allowHttp } : {});
      return { accountId: account.id, name: account.name };
    },
    [IpcChannels.reconnectWebhook]: async ({ accountId, url }) => {
      await reconnectWebhook(accountId, url);
      return settings.view();
    },
    [IpcChannels.connectOAuth]: async (input) => {
      const account = await signIns.run((signal) => connectOAuth(input, signal));
      return { accountId: account.id, name: account.name };
    },
    [IpcChannels.reconnectOAuth]: async ({ accountId }) => {
      await signIns.run((signal) => reconnectOAuth(accountId, signal));
      return settings.view();
    },
    [IpcChannels.cancelSignIn]: () => ({ cancelled: signIns.cancel() }),
  };
}
