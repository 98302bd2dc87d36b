/**
 * Requests per idle hour, counted by the simulated portal itself, on virtual time (the real engine
 * and client over loopback HTTP), with the push channel healthy or without it. The socket is a
 * stand-in that stays open and silent (an idle channel). Used by test/push/budget.test.ts and the
 * bench.
 */
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { attachEnginePush } from '../../main/core/push/engine-push';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { tempStorage } from './engine-harness';
import { simWebhookCredentials } from './sim-credentials';
import { driveVirtualTime, VirtualClock } from './virtual-time';

export async function requestsInIdleHour(withPush: boolean): Promise<number> {
  const open: { close(): Promise<void> | void }[] = [];
  try {
    const clock = new VirtualClock();
    const portal: PortalSim = await startPortalSim({ scopes: ['im', 'pull_channel'], now: () => clock.now(), restApAuthAllowHttp: true });
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
  } finally {
    for (const item of open.reverse()) await item.close();
  }
}
