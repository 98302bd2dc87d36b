/**
 * Requests per idle hour, counted by the simulated portal itself, on virtual time (the real engine
 * and client over loopback HTTP). Issue 16's budget: ≤ 15 with push healthy, against polling's 120
 * at the default 30 s. The socket is a stand-in that stays open and silent (an idle channel).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { attachEnginePush } from '../../main/core/push/engine-push';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { tempStorage } from '../harness/engine-harness';
import { simWebhookCredentials } from '../harness/sim-credentials';
import { driveVirtualTime, VirtualClock } from '../harness/virtual-time';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function requestsInIdleHour(withPush: boolean): Promise<number> {
  const clock = new VirtualClock();
  const portal: PortalSim = await startPortalSim({ scopes: ['im', 'pull_channel'], now: () => clock.now() });
  open.push(portal);
  portal.setPushOffer((nowMs) => ({
    server: { version: 4, server_enabled: true, websocket_enabled: true, websocket: 'ws://127.0.0.1:9/sub/', websocket_secure: 'wss://127.0.0.1:9/sub/' },
    channels: { private: { id: 'private-channel', end: new Date(nowMs + 43_205_000).toISOString() }, shared: { id: 'shared-channel' } },
    clientId: 'client-id',
  }));
  const client = new PortalClient({ credentials: simWebhookCredentials(portal), clock });
  open.push(client);
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock });
  if (withPush) {
    attachEnginePush({
      client,
      engine,
      clock,
      dispatcherFactory: () => Promise.reject(new Error('not used')),
      openSocket: (_url, handlers) => {
        queueMicrotask(() => handlers.onOpen());
        return { close: () => undefined };
      },
    });
  }
  const driver = driveVirtualTime(clock);
  open.push({ close: () => driver.stop() });
  open.push({ close: () => engine.stop() });
  engine.start();
  // Warm-up: first sync, config fetch, the sync that covers the fresh channel.
  const warmEnd = clock.now() + 60_000;
  await new Promise<void>((resolve) => driver.onStep(() => clock.now() >= warmEnd && resolve()));
  const before = portal.requestLog.length;
  const hourEnd = clock.now() + 3_600_000;
  await new Promise<void>((resolve) => driver.onStep(() => clock.now() >= hourEnd && resolve()));
  return portal.requestLog.length - before;
}

describe('requests per idle hour', () => {
  it('push healthy: at most 15; polling alone at 30 s: about 120', async () => {
    const withPush = await requestsInIdleHour(true);
    const pollingOnly = await requestsInIdleHour(false);
    console.info(`requests per idle hour: push ${withPush}, polling at 30 s ${pollingOnly}`);
    expect(withPush).toBeLessThanOrEqual(15);
    expect(pollingOnly).toBeGreaterThanOrEqual(110);
  });
});
