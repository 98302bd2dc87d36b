/**
 * An engine on the portal simulator with a fake clock, read by its schedule: the clock's pending
 * timer is when the engine next syncs, so "when" is checked without waiting (account-engine-*.test.ts).
 */
import { expect } from 'vitest';
import { AccountEngine, type AccountEngineOptions } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import type { PortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from './engine-harness';
import type { FakeClock } from './fake-clock';
import { simWebhookCredentials } from './sim-credentials';

export const INTERVAL_MS = 30_000;

/** An engine (not started) on `portal`; `clientClock` also puts the client's limits on the fake clock. */
export function engineOn(
  portal: PortalSim,
  clock: FakeClock,
  cleanups: (() => Promise<void>)[],
  options: Partial<AccountEngineOptions> & { clientClock?: FakeClock } = {},
): AccountEngine {
  const { clientClock, ...engineOptions } = options;
  const client = new PortalClient({ credentials: simWebhookCredentials(portal), backoffBaseMs: 5, backoffMaxMs: 20, maxAttempts: 2, ...(clientClock ? { clock: clientClock } : {}) });
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock, ...engineOptions });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  return engine;
}

/** Starts the engine and waits for its first exchange. */
export async function started(engine: AccountEngine): Promise<void> {
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
}

/** When the engine's next sync is due, once it has gone back to waiting. */
export async function nextSyncDueInMs(clock: FakeClock): Promise<number | undefined> {
  await clock.advance(0);
  return clock.nextDueInMs;
}

/** Runs `action` and expects it to bring a sync without the clock moving (guarded, so a miss fails fast). */
export async function syncsAtOnce(engine: AccountEngine, clock: FakeClock, action: () => void): Promise<void> {
  const at = clock.now();
  const polled = nextEvent(engine, 'polled');
  action();
  const guard = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no sync came without waiting')), 3_000).unref());
  expect(await Promise.race([polled, guard])).toEqual([true]);
  expect(clock.now()).toBe(at);
}

export function restRequests(portal: PortalSim): number {
  return portal.requestLog.filter((entry) => entry.restMethod !== 'oauth.token').length;
}
