/**
 * Brings every stored portal account to life: its own client (bucket, limiter, connection pool),
 * its own engine, all in the hub. An account whose credentials cannot be opened is reported and
 * skipped; the others still start.
 */
import type { AccountStore } from '../accounts/account-store';
import { AccountEngine } from '../engine/account-engine';
import { PortalClient, type PortalLog } from '../portal/client';
import type { Storage } from '../storage/storage';
import type { NotificationHub } from './hub';

export interface StartAccountsOptions {
  log?: PortalLog;
  pollIntervalMs?: number;
  onAccountError?: (accountId: string, error: unknown) => void;
}

export async function startStoredAccounts(hub: NotificationHub, accounts: AccountStore, storage: Storage, options: StartAccountsOptions = {}): Promise<void> {
  for (const account of accounts.list()) {
    try {
      const client = new PortalClient({ credentials: await accounts.credentials(account.id), ...(options.log ? { log: options.log } : {}) });
      const engine = new AccountEngine({ accountId: account.id, client, storage, ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}) });
      hub.add(account.name, engine);
      engine.start();
    } catch (error) {
      options.onAccountError?.(account.id, error);
    }
  }
}
