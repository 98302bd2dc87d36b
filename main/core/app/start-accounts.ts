/**
 * How a stored portal account comes to life: its own client (bucket, limiter, connection pool)
 * and its own engine, so several portals never share fate.
 */
import type { AccountConfig, AccountStore } from '../accounts/account-store';
import type { Clock } from '../clock';
import { AccountEngine } from '../engine/account-engine';
import { PortalClient, type PortalClientOptions, type PortalLog } from '../portal/client';
import type { Storage } from '../storage/storage';
import { attachEnginePush } from '../push/engine-push';

export interface EngineFactoryOptions {
  log?: PortalLog;
  /** Read at each start, so a changed setting applies to portals started later. */
  pollIntervalMs?: () => number;
  /** Extra client options (tests, proxy). */
  clientOptions?: Partial<PortalClientOptions>;
  /** The engines' clock (tests drive time); the system clock by default. */
  clock?: Clock;
  /** Route changes to a portal (ProxyRouter.onRouteChange): its push socket reconnects. */
  onRouteChange?: (listener: (origin: string) => void) => () => void;
}

export function engineFactory(accounts: AccountStore, storage: Storage, options: EngineFactoryOptions = {}): (account: AccountConfig) => Promise<AccountEngine> {
  return async (account) => {
    const client = new PortalClient({
      credentials: await accounts.credentials(account.id),
      ...(options.log ? { log: options.log } : {}),
      // The OAuth server named a new REST address (client_endpoint): the client follows it; keep it.
      onDomainChange: (origin) => void accounts.setOrigin(account.id, origin),
      ...options.clientOptions,
    });
    const pollIntervalMs = options.pollIntervalMs?.();
    const engine = new AccountEngine({ accountId: account.id, client, storage, ...(pollIntervalMs ? { pollIntervalMs } : {}), ...(options.clock ? { clock: options.clock } : {}) });
    // Instant delivery rides the same proxy and CA trust as REST: only with the app's dispatcher.
    const dispatcherFactory = options.clientOptions?.dispatcherFactory;
    if (account.auth === 'webhook' && account.instant && dispatcherFactory) {
      const { log, registerSecret } = { log: options.log, ...options.clientOptions };
      attachEnginePush({
        client,
        engine,
        dispatcherFactory,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(log ? { log } : {}),
        ...(registerSecret ? { registerSecret } : {}),
        ...(options.onRouteChange ? { onRouteChange: options.onRouteChange } : {}),
      });
    }
    return engine;
  };
}
