/** Hub snapshots for the tray tests. */
import type { AccountSnapshot, HubSnapshot } from '../../main/core/app/hub';
import type { ConnectionState } from '../../main/core/engine/state';

export function portal(name: string, connection: ConnectionState, unreadCount = 0, lastSyncAt: number | undefined = undefined): AccountSnapshot {
  const accountId = name.toLowerCase();
  const portalOrigin = `https://${accountId}.bitrix24.com`;
  return { accountId, name, state: { accountId, portalOrigin, connection, inbox: [], unreadCount, lastSyncAt, skippedItems: 0 } };
}

export function hub(...accounts: AccountSnapshot[]): HubSnapshot {
  return { accounts, unreadCount: accounts.reduce((sum, account) => sum + account.state.unreadCount, 0) };
}
