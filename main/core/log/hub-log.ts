/**
 * What the engines do, in the log: each portal's connection state as it changes, what was
 * announced, how each answer ended. Ids and states only; notification texts stay out of the log.
 */
import type { NotificationHub } from '../app/hub';
import type { ConnectionState } from '../engine/state';
import type { LogFn } from './logger';

const QUIET_STATUSES = new Set<ConnectionState['status']>(['connecting', 'ok', 'offline', 'paused']);

/** Subscribes `log` to the hub; returns the unsubscribe. */
export function logHubActivity(hub: NotificationHub, log: LogFn): () => void {
  const lastStatus = new Map<string, string>();
  const subscriptions = [
    hub.on('changed', (snapshot) => {
      for (const { accountId, state } of snapshot.accounts) {
        const connection = state.connection;
        const key = 'message' in connection ? `${connection.status}: ${connection.message}` : connection.status;
        if (lastStatus.get(accountId) === key) continue;
        lastStatus.set(accountId, key);
        log(QUIET_STATUSES.has(connection.status) ? 'info' : 'warn', `account ${accountId} (${state.portalOrigin}): ${key}`);
      }
      for (const accountId of lastStatus.keys()) {
        if (!snapshot.accounts.some((account) => account.accountId === accountId)) lastStatus.delete(accountId);
      }
    }),
    hub.on('announced', (accountId, items) => {
      log('info', `account ${accountId}: ${items.length} new notification(s): ${items.map((item) => `#${item.id} ${item.kind}`).join(', ')}`);
    }),
    hub.on('actionSettled', (accountId, notificationId, outcome) => {
      // A confirm's value is a button ("Y"); a reply's value is the user's own text.
      const what = outcome.kind === 'confirm' ? `confirm "${outcome.value}"` : 'reply';
      if (outcome.status === 'done') log('info', `account ${accountId}: ${what} on #${notificationId} done${outcome.gone ? ' (already gone from the portal)' : ''}`);
      else log('warn', `account ${accountId}: ${what} on #${notificationId} failed: ${outcome.message}`);
    }),
    hub.on('removed', (accountId, ids) => log('debug', `account ${accountId}: gone from the portal: ${ids.map((id) => `#${id}`).join(', ')}`)),
  ];
  return () => subscriptions.forEach((off) => off());
}
