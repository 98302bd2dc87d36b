/**
 * One webhook portal on the simulator, stored and brought to life by the app's engine factory on a
 * FakeClock: each scheduled poll waits for the test to move time (clock.advance), so when the next
 * poll is due can be checked without real waiting. HTTP still crosses a real loopback socket.
 */
import type { AccountConfig } from '../../main/core/accounts/account-store';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory, type EngineFactoryOptions } from '../../main/core/app/start-accounts';
import type { Storage } from '../../main/core/storage/storage';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { tempStorage } from './engine-harness';
import { FakeClock } from './fake-clock';

export interface ClockedPortal {
  clock: FakeClock;
  portal: PortalSim;
  storage: Storage;
  accounts: AccountStore;
  hub: NotificationHub;
  account: AccountConfig;
  /** Resolves when the portal's next exchange after `act` has finished. */
  pollAfter: (act: () => unknown) => Promise<void>;
  /** How many im.notify.get the portal has answered so far. */
  polls: () => number;
}

/** Started, with its first poll done. `options` are the factory's (its clock is the FakeClock). */
export async function clockedPortal(cleanups: (() => Promise<void> | void)[], options: Omit<EngineFactoryOptions, 'clock'> = {}): Promise<ClockedPortal> {
  const clock = new FakeClock();
  const portal = await startPortalSim({ now: () => clock.now() });
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => portal.close(), () => hub.stopAll());
  const createEngine = engineFactory(accounts, storage, { ...options, clock, clientOptions: { clock, maxAttempts: 1, ...options.clientOptions } });
  const portals = new AccountsService({ accounts, hub, storage, createEngine });
  const account = await accounts.add({ name: 'Acme', auth: 'webhook', origin: portal.origin, webhookUserId: portal.userId, code: portal.webhookCode });
  const pollAfter = async (act: () => unknown): Promise<void> => {
    const polled = new Promise<void>((resolve) => {
      const off = hub.on('polled', (id) => {
        if (id !== account.id) return;
        off();
        resolve();
      });
    });
    await act();
    await polled;
  };
  await pollAfter(() => portals.startAll());
  const polls = (): number => portal.requestLog.filter((entry) => entry.restMethod === 'im.notify.get').length;
  return { clock, portal, storage, accounts, hub, account, pollAfter, polls };
}
