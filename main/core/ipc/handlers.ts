/**
 * What each IPC channel does, in terms of the hub. Actions are accepted once they are in the
 * outbox; their outcome reaches the window with the next state.
 */
import type { NotificationHub } from '../app/hub';
import type { AppInfo } from '../../shared/ipc-contract';
import { IpcChannels } from '../../shared/ipc-contract';
import type { IpcHandlers } from './dispatcher';

export function hubIpcHandlers(hub: NotificationHub, appInfo: () => AppInfo): IpcHandlers {
  return {
    [IpcChannels.appInfo]: () => appInfo(),
    [IpcChannels.getState]: () => hub.snapshot(),
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
  };
}
