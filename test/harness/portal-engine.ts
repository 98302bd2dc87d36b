/**
 * A portal simulator with a real client and engine on it (the engine not started), for tests of
 * what sits on top of engines (hub, window feed). `cleanups` gets what stops it all.
 */
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { tempStorage } from './engine-harness';
import type { FakeClock } from './fake-clock';
import { simWebhookCredentials } from './sim-credentials';

export async function portalWithEngine(accountId: string, clock: FakeClock, cleanups: (() => Promise<void>)[]): Promise<{ portal: PortalSim; engine: AccountEngine }> {
  const portal = await startPortalSim();
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  const engine = new AccountEngine({ accountId, client, storage: tempStorage().open(), clock });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
    await portal.close();
  });
  return { portal, engine };
}
