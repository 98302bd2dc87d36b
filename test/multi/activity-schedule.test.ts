/**
 * Polling follows the person: faster while they are at the computer, slower while away, nothing
 * while the screen is locked, at once on unlock; never above 1/20 of the portal's sustained budget.
 * Pure policy first, then the engine against the simulator with a fake clock, counting requests
 * in the simulator's own log over a simulated hour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIVITY_SAMPLE_MS, ActivityMonitor } from '../../main/core/app/activity-monitor';
import { AccountEngine } from '../../main/core/engine/account-engine';
import {
  DEFAULT_POLL_INTERVAL_MS,
  MIN_POLL_INTERVAL_MS,
  activityFromIdleTime,
  budgetFloorMs,
  effectiveIntervalMs,
  nextPollDelayMs,
} from '../../main/core/engine/schedule';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

const HOUR_MS = 60 * 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('poll schedule policy', () => {
  it('counts the person as active under three minutes of idle time, and locked above all', () => {
    expect(activityFromIdleTime(0, false)).toBe('active');
    expect(activityFromIdleTime(179_000, false)).toBe('active');
    expect(activityFromIdleTime(180_000, false)).toBe('idle');
    expect(activityFromIdleTime(0, true)).toBe('locked');
  });

  it('keeps polling to 1/20 of the sustained budget: 2 requests/s allows one poll per 10 s, 0.5/s one per 40 s', () => {
    expect(budgetFloorMs(2)).toBe(10_000);
    expect(budgetFloorMs(0.5)).toBe(40_000);
    expect(budgetFloorMs(100)).toBe(MIN_POLL_INTERVAL_MS);
    expect(budgetFloorMs(0)).toBeGreaterThanOrEqual(15 * 60_000);
    // The user's setting cannot go under the floor either.
    expect(effectiveIntervalMs(10_000, 'active', budgetFloorMs(0.5))).toBe(40_000);
  });

  it('stretches the interval while the person is away, at least to two minutes', () => {
    expect(effectiveIntervalMs(DEFAULT_POLL_INTERVAL_MS, 'active')).toBe(30_000);
    expect(effectiveIntervalMs(DEFAULT_POLL_INTERVAL_MS, 'idle')).toBe(120_000);
    expect(effectiveIntervalMs(10_000, 'idle')).toBe(120_000);
    expect(effectiveIntervalMs(5 * 60_000, 'idle')).toBe(15 * 60_000);
    const base = { intervalMs: 30_000, consecutiveFailures: 0, retryAt: undefined, nowMs: 0, operatingPressure: 0 };
    expect(nextPollDelayMs({ ...base, activity: 'idle' })).toBe(120_000);
    // Pressure from the operating limit still stretches on top of activity.
    expect(nextPollDelayMs({ ...base, activity: 'active', operatingPressure: 1 })).toBe(120_000);
  });
});

async function engineOn(portal: PortalSim, clock: FakeClock, sustainedRequestsPerSec?: number): Promise<AccountEngine> {
  // The client shares the fake clock: its bucket drains in the same simulated time as the schedule.
  const client = new PortalClient({ credentials: simWebhookCredentials(portal), clock });
  const engine = new AccountEngine({
    accountId: 'acme',
    client,
    storage: tempStorage().open(),
    clock,
    ...(sustainedRequestsPerSec ? { sustainedRequestsPerSec } : {}),
  });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  return engine;
}

/**
 * Runs the engine's schedule through `durationMs` of fake time in steps of `stepMs`; a step that
 * wakes the engine is followed by waiting for its exchange (real HTTP on loopback) to finish and
 * the engine to go back to sleep. Returns the REST requests the simulator logged meanwhile.
 */
async function requestsDuring(portal: PortalSim, engine: AccountEngine, clock: FakeClock, durationMs: number, stepMs: number): Promise<number> {
  const before = portal.requestLog.length;
  const end = clock.now() + durationMs;
  while (clock.now() < end) {
    let polled = nextEvent(engine, 'polled');
    await clock.advance(stepMs);
    // No timer pending: the engine is mid-exchange. Its next sleep registers right after `polled`.
    while (clock.pendingTimers === 0) {
      await polled;
      polled = nextEvent(engine, 'polled');
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return portal.requestLog.length - before;
}

describe('engine: polling follows activity', () => {
  it('polls 120 times an active hour and 30 times an idle hour at the default interval (simulator log)', async () => {
    const clock = new FakeClock();
    const portal = await startPortalSim({ now: () => clock.now() });
    cleanups.push(() => portal.close());
    const engine = await engineOn(portal, clock);

    const activeHour = await requestsDuring(portal, engine, clock, HOUR_MS, 5_000);
    engine.setActivity('idle');
    const idleHour = await requestsDuring(portal, engine, clock, HOUR_MS, 5_000);
    console.log(`requests per hour per portal (default interval, simulator log): active ${activeHour}, idle ${idleHour}`);
    expect(activeHour).toBe(HOUR_MS / 30_000);
    expect(idleHour).toBe(HOUR_MS / 120_000);
    // 1/20 of the portal's sustained 2 requests/s is 360 an hour.
    expect(activeHour).toBeLessThanOrEqual(360);

    // The fastest interval the user may choose (10 s) meets the budget ceiling exactly.
    engine.setPollInterval(MIN_POLL_INTERVAL_MS);
    engine.setActivity('active');
    const fastActive = await requestsDuring(portal, engine, clock, HOUR_MS, 5_000);
    engine.setActivity('idle');
    const fastIdle = await requestsDuring(portal, engine, clock, HOUR_MS, 5_000);
    console.log(`requests per hour per portal (fastest interval, simulator log): active ${fastActive}, idle ${fastIdle}`);
    // +1: the poll made at once when the person comes back (or the interval changes).
    expect(fastActive).toBeLessThanOrEqual(360 + 1);
    expect(fastIdle).toBe(HOUR_MS / 120_000);
  });

  it('stops polling while the screen is locked and polls at once on unlock; coming back from idle polls at once', async () => {
    const clock = new FakeClock();
    const portal = await startPortalSim({ now: () => clock.now() });
    cleanups.push(() => portal.close());
    const engine = await engineOn(portal, clock);

    engine.setActivity('locked');
    expect(engine.state.connection.status).toBe('paused');
    const whileLocked = await requestsDuring(portal, engine, clock, 10 * 60_000, 5_000);
    expect(whileLocked).toBe(0);

    const unlocked = nextEvent(engine, 'polled');
    engine.setActivity('active');
    await unlocked;
    expect(portal.requestLog.at(-1)?.restMethod).toBe('im.notify.get');
    expect(engine.state.connection.status).toBe('ok');

    engine.setActivity('idle');
    const before = portal.requestLog.length;
    const back = nextEvent(engine, 'polled');
    engine.setActivity('active');
    await back;
    expect(portal.requestLog.length).toBe(before + 1);
  });

  it('still sends an answer made while the screen is locked, without polling otherwise', async () => {
    const clock = new FakeClock();
    const portal = await startPortalSim({ now: () => clock.now() });
    cleanups.push(() => portal.close());
    const invite = portal.addConfirm({ text: 'Join?' });
    const engine = await engineOn(portal, clock);
    engine.setActivity('locked');
    // A popup button pressed on the lock screen (macOS and Windows allow it): the answer goes out.
    await expect(engine.confirm(invite.id, 'Y')).resolves.toMatchObject({ status: 'done' });
    expect(portal.confirmLog.map((entry) => entry.id)).toEqual([invite.id]);
    const afterAnswer = portal.requestLog.length;
    expect(await requestsDuring(portal, engine, clock, 10 * 60_000, 5_000)).toBe(0);
    expect(portal.requestLog.length).toBe(afterAnswer);
  });

  it('keeps a portal with a small budget to 1/20 of it even when the user asks for the fastest interval', async () => {
    const clock = new FakeClock();
    const portal = await startPortalSim({ now: () => clock.now(), bucket: { capacity: 50, drainPerSec: 0.5 } });
    cleanups.push(() => portal.close());
    const engine = await engineOn(portal, clock, 0.5);
    engine.setPollInterval(MIN_POLL_INTERVAL_MS);
    await new Promise((resolve) => setImmediate(resolve));
    const hour = await requestsDuring(portal, engine, clock, HOUR_MS, 5_000);
    // 0.5 requests/s sustained → 1,800 an hour; a twentieth is 90.
    expect(hour).toBeLessThanOrEqual(91);
    expect(hour).toBeGreaterThanOrEqual(89);
  });
});

describe('ActivityMonitor', () => {
  it('reports changes only: active → idle after three idle minutes, locked at once, back to active on input', async () => {
    const clock = new FakeClock();
    let idleSec = 0;
    const seen: string[] = [];
    const monitor = new ActivityMonitor({ idleSeconds: () => idleSec, clock, onChange: (activity) => seen.push(activity) });
    monitor.start();
    cleanups.push(async () => monitor.stop());
    await clock.advance(ACTIVITY_SAMPLE_MS * 3);
    expect(seen).toEqual([]);
    idleSec = 200;
    await clock.advance(ACTIVITY_SAMPLE_MS);
    expect(seen).toEqual(['idle']);
    monitor.setLocked(true);
    expect(seen).toEqual(['idle', 'locked']);
    monitor.setLocked(false);
    idleSec = 1;
    monitor.sample();
    expect(seen).toEqual(['idle', 'locked', 'idle', 'active']);
  });

  it('follows a sampled lock state where the system sends no lock events (Linux)', async () => {
    const clock = new FakeClock();
    let locked = false;
    const seen: string[] = [];
    const monitor = new ActivityMonitor({ idleSeconds: () => 0, isLocked: () => locked, clock, onChange: (activity) => seen.push(activity) });
    monitor.start();
    cleanups.push(async () => monitor.stop());
    locked = true;
    await clock.advance(ACTIVITY_SAMPLE_MS);
    expect(seen).toEqual(['locked']);
    locked = false;
    await clock.advance(ACTIVITY_SAMPLE_MS);
    expect(seen).toEqual(['locked', 'active']);
  });

  it('treats a failing idle source as a person at the computer', () => {
    const seen: string[] = [];
    const monitor = new ActivityMonitor({
      idleSeconds: () => {
        throw new Error('no idle source');
      },
      clock: new FakeClock(),
      onChange: (activity) => seen.push(activity),
    });
    monitor.sample();
    expect(monitor.current).toBe('active');
    expect(seen).toEqual([]);
  });
});
