/**
 * What the connect flow needs, wired as the app wires it: a new account starts through an
 * AccountsService and the shared engine factory, with the test's client options. `restart` is what
 * a sign-in again (reconnectOAuth) is given.
 */
import type { AccountConfig, AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import type { ConnectDeps } from '../../main/core/app/connect';
import type { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import type { PortalClientOptions } from '../../main/core/portal/client';
import type { Storage } from '../../main/core/storage/storage';

export function connectDeps(parts: { accounts: AccountStore; hub: NotificationHub; storage: Storage; pollIntervalMs?: number; clientOptions?: Partial<PortalClientOptions> }): ConnectDeps & { restart: (account: AccountConfig) => Promise<void> } {
  const { accounts, hub, storage, pollIntervalMs, clientOptions } = parts;
  const createEngine = engineFactory(accounts, storage, { ...(pollIntervalMs ? { pollIntervalMs: () => pollIntervalMs } : {}), ...(clientOptions ? { clientOptions } : {}) });
  const portals = new AccountsService({ accounts, hub, storage, createEngine });
  return { accounts, start: (account) => portals.startConnected(account), restart: (account) => portals.restart(account), ...(clientOptions ? { clientOptions } : {}) };
}
