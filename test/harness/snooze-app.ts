/**
 * One run of the app for snooze tests: a hub with snoozing on `store` and one engine ('acme') on
 * `portal`, sharing that storage as the app does. The engine is not started; a second call on the
 * same store is the app started again. `cleanups` gets what stops it.
 */
import { NotificationHub } from '../../main/core/app/hub';
import { AccountEngine } from '../../main/core/engine/account-engine';
import type { InboxItem } from '../../main/core/engine/state';
import { PortalClient } from '../../main/core/portal';
import type { PortalSim } from '../portal-sim';
import type { TempStorage } from './engine-harness';
import type { FakeClock } from './fake-clock';
import { simWebhookCredentials } from './sim-credentials';

export interface AppRun {
  hub: NotificationHub;
  engine: AccountEngine;
  /** Every 'announced' of the hub (popups), as notification ids. */
  announced: number[][];
}

export function appRun(portal: PortalSim, store: TempStorage, clock: FakeClock, cleanups: (() => Promise<void>)[], pollIntervalMs = 12 * 3_600_000): AppRun {
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  const storage = store.open();
  const engine = new AccountEngine({ accountId: 'acme', client, storage, clock, pollIntervalMs });
  const hub = new NotificationHub();
  hub.useSnoozes(storage, clock);
  hub.add('Acme', engine);
  const announced: number[][] = [];
  hub.on('announced', (_accountId, items: InboxItem[]) => announced.push(items.map((item) => item.id)));
  cleanups.push(async () => {
    await hub.stopAll();
    await client.close();
  });
  return { hub, engine, announced };
}
