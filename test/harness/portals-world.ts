/**
 * Portals as the user manages them, for tests of AccountsService: a real account store on a temp
 * file, a hub, the app's engine factory on a fake clock, and simulators on loopback. What the
 * window is sent (the portal names of every snapshot the hub publishes) is kept in order, and what
 * the app reports per portal (main logs and shows it) is collected.
 */
import type { AccountConfig } from '../../main/core/accounts/account-store';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import type { AccountEngine } from '../../main/core/engine/account-engine';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import type { Storage } from '../../main/core/storage/storage';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { tempStorage, type TempStorage } from './engine-harness';
import { FakeClock } from './fake-clock';

type CreateEngine = (account: AccountConfig) => Promise<AccountEngine>;

export interface PortalsWorld {
  store: TempStorage;
  storage: Storage;
  accounts: AccountStore;
  hub: NotificationHub;
  portals: AccountsService;
  /** What onAccountError received. */
  errors: { accountId: string; error: unknown }[];
  /** The portal ids of each snapshot the hub published, oldest first. */
  published: string[][];
  /** A new simulator, stored as a webhook account named `name` (not started). */
  connect(name: string): Promise<{ sim: PortalSim; account: AccountConfig }>;
}

export interface PortalsWorldOptions {
  /** The same settings file as an earlier world: the app started again (with a new process secret box). */
  store?: TempStorage;
  /** Wraps the app's engine factory (a keychain that answers late, say). */
  createEngine?: (real: CreateEngine) => CreateEngine;
}

export async function portalsWorld(cleanups: (() => Promise<void>)[], options: PortalsWorldOptions = {}): Promise<PortalsWorld> {
  const store = options.store ?? tempStorage();
  const storage = store.open();
  const clock = new FakeClock();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  const real = engineFactory(accounts, storage, { clock, clientOptions: { clock, maxAttempts: 1 } });
  const errors: PortalsWorld['errors'] = [];
  const portals = new AccountsService({
    accounts,
    hub,
    storage,
    createEngine: options.createEngine ? options.createEngine(real) : real,
    onAccountError: (accountId, error) => errors.push({ accountId, error }),
  });
  const published: string[][] = [];
  hub.on('changed', (snapshot) => published.push(snapshot.accounts.map((account) => account.accountId)));
  const sims: PortalSim[] = [];
  cleanups.push(async () => {
    await hub.stopAll();
    await Promise.all(sims.map((sim) => sim.close()));
  });
  const connect = async (name: string): Promise<{ sim: PortalSim; account: AccountConfig }> => {
    const sim = await startPortalSim({ now: () => clock.now() });
    sims.push(sim);
    const account = await accounts.add({ name, auth: 'webhook', origin: sim.origin, webhookUserId: sim.userId, code: sim.webhookCode });
    return { sim, account };
  };
  return { store, storage, accounts, hub, portals, errors, published, connect };
}

/** How many times the window saw the portal `accountId` disappear from the list after it was shown. */
export function timesGone(published: string[][], accountId: string): number {
  let shown = false;
  let gone = 0;
  for (const names of published) {
    const present = names.includes(accountId);
    if (shown && !present) gone += 1;
    shown = present;
  }
  return gone;
}

/**
 * A keychain that answers only when the test says so (a locked keyring waits for the user): the
 * sealed secret is read at once, the engine is handed over once `open()` is called.
 */
export function lateKeychain(): { open: () => void; createEngine: (real: CreateEngine) => CreateEngine } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    createEngine: (real) => async (account) => {
      const engine = real(account);
      await opened;
      return engine;
    },
  };
}
