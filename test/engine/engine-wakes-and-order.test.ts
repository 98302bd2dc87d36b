/**
 * When the engine polls (triggers.ts, schedule.ts) and in what order it lists what it read
 * (state.ts compareInbox), against the portal simulator over loopback with a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { MAX_POLL_INTERVAL_MS } from '../../main/core/engine/schedule';
import { PortalClient, type BatchCommand, type BatchResponse, type CallOptions, type PortalResponse } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

/** Counts the requests the engine starts (the count moves before any byte reaches the portal). */
class CountingClient extends PortalClient {
  started = 0;
  override call<T = unknown>(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<PortalResponse<T>> {
    this.started += 1;
    return super.call<T>(method, params, options);
  }
  override batch(commands: Record<string, BatchCommand>, options: { signal?: AbortSignal } = {}): Promise<BatchResponse> {
    this.started += 1;
    return super.batch(commands, options);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(options: { sustainedRequestsPerSec?: number; portal?: PortalSim; clock?: FakeClock } = {}) {
  const clock = options.clock ?? new FakeClock();
  const portal = options.portal ?? (await startPortalSim());
  cleanups.push(() => portal.close());
  if (!options.portal) portal.addPersonal({ text: 'Hello' });
  const client = new CountingClient({ credentials: simWebhookCredentials(portal), maxAttempts: 1 });
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock, sustainedRequestsPerSec: options.sustainedRequestsPerSec });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  return { portal, client, engine, clock };
}

describe('when the engine polls', () => {
  it('polls a portal that grants no request rate at the slowest interval, not never', async () => {
    const { engine, clock } = await started({ sustainedRequestsPerSec: 0 });
    const polled = nextEvent(engine, 'polled');
    await clock.advance(MAX_POLL_INTERVAL_MS);
    expect(await polled).toEqual([true]);
  });

  it('does not sync when the push channel turns or stays healthy, only when it is lost', async () => {
    const { client, engine, clock } = await started();
    const before = client.started;
    engine.setSafetyPoll(10 * 60_000);
    await clock.advance(0);
    expect(client.started).toBe(before);
    // Still healthy, told again (another safety interval): still nothing of its own.
    engine.setSafetyPoll(5 * 60_000);
    await clock.advance(0);
    expect(client.started).toBe(before);
    // Push lost: one sync at once for anything it may have missed.
    const polled = nextEvent(engine, 'polled');
    engine.setSafetyPoll(undefined);
    expect(await polled).toEqual([true]);
    expect(client.started).toBe(before + 1);
  });

  it('starts out taking the person as active: reporting them active starts no extra sync', async () => {
    const { client, engine, clock } = await started();
    expect(engine.activity).toBe('active');
    const before = client.started;
    engine.setActivity('active');
    await clock.advance(0);
    expect(client.started).toBe(before);
  });

  it('stays asleep when the network comes back while the computer sleeps', async () => {
    const { client, engine, clock } = await started();
    engine.setSystemState({ suspended: true });
    const asleep = engine.state.connection.status;
    const before = client.started;
    engine.setSystemState({ online: true });
    await clock.advance(engine.pollIntervalMs);
    expect(engine.state.connection.status).toBe(asleep);
    expect(client.started).toBe(before);
  });
});

describe('the order of the inbox', () => {
  it('lists notifications of the same second newest first, news of a later poll included', async () => {
    const clock = new FakeClock();
    // The portal dates in whole seconds (api §1.3): a burst shares one date.
    const portal = await startPortalSim({ now: () => clock.now() - 60_000 });
    const first = [portal.addPersonal({ text: 'A' }).id, portal.addPersonal({ text: 'B' }).id];
    const { engine } = await started({ portal, clock });
    const later = [portal.addPersonal({ text: 'C' }).id, portal.addPersonal({ text: 'D' }).id];
    const polled = nextEvent(engine, 'polled');
    await clock.advance(engine.pollIntervalMs);
    await polled;
    const shown = engine.state.inbox.map((item) => item.id);
    expect(new Set(engine.state.inbox.map((item) => item.dateMs)).size).toBe(1);
    expect(shown).toEqual([...first, ...later].sort((a, b) => b - a));
  });
});
