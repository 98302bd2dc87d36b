/**
 * When the engine syncs next (engine/triggers.ts), on virtual time: the user's interval, the safety
 * poll while push is healthy and the sync when push fails, hints that never skip a wait a failure
 * or the portal asked for, errors that stop polling until the user acts, and what a locked screen
 * holds back (polls) and lets through (answers already made).
 */
import { describe, expect, it } from 'vitest';
import { SyncTriggers } from '../../main/core/engine/triggers';
import { PortalError, type PortalErrorKind } from '../../main/core/portal/errors';
import { FakeClock } from '../harness/fake-clock';

const NEVER = Number.MAX_SAFE_INTEGER;
const failure = (kind: PortalErrorKind, retryAt?: number): PortalError => new PortalError({ kind, code: 'X', delivery: 'not-processed', ...(retryAt !== undefined ? { retryAt } : {}) });

function triggers(options: { pressure?: number; floorMs?: number } = {}) {
  const clock = new FakeClock(1_000_000);
  return { clock, triggers: new SyncTriggers({ clock, pollIntervalMs: 30_000, floorMs: options.floorMs ?? 10_000, operatingPressure: () => options.pressure ?? 0 }) };
}

/** Whether `waitForNext` has returned after `ms` of virtual time. */
async function wokeWithin(clock: FakeClock, wait: Promise<void>, ms: number): Promise<boolean> {
  let done = false;
  void wait.then(() => (done = true));
  await clock.advance(ms);
  return done;
}

describe('the next sync', () => {
  it('at the user’s interval (clamped), at once for waiting work, and never sooner than the portal’s floor', () => {
    const { triggers: t } = triggers({ floorMs: 40_000 });
    expect(t.nextDelayMs(false)).toBe(40_000);
    expect(t.nextDelayMs(true)).toBe(0);
    t.setPollInterval(5 * 60_000);
    expect(t.pollIntervalMs).toBe(5 * 60_000);
    expect(t.nextDelayMs(false)).toBe(5 * 60_000);
    t.setPollInterval(1);
    expect(t.pollIntervalMs).toBe(10_000);
  });

  it('while push is healthy, only the safety poll; when push fails, a sync at once, then the usual interval', async () => {
    const { clock, triggers: t } = triggers();
    t.setSafetyPoll(10 * 60_000);
    expect(t.nextDelayMs(false)).toBe(10 * 60_000);
    t.arm();
    const wait = t.waitForNext(false, new AbortController().signal);
    t.setSafetyPoll(undefined);
    expect(await wokeWithin(clock, wait, 0)).toBe(true);
    expect(t.nextDelayMs(false)).toBe(30_000);
    // Turning the safety poll off when it was not on wakes nothing.
    t.arm();
    const quiet = t.waitForNext(false, new AbortController().signal);
    t.setSafetyPoll(undefined);
    expect(await wokeWithin(clock, quiet, 1_000)).toBe(false);
  });

  it('an idle person is polled less often; a busy operating budget stretches the interval', () => {
    const { triggers: t } = triggers({ pressure: 1 });
    expect(t.nextDelayMs(false)).toBe(120_000);
    t.setActivity('idle');
    expect(t.activity).toBe('idle');
    expect(t.nextDelayMs(false)).toBe(480_000);
  });
});

describe('failures and hints', () => {
  it('backs off after failures, and pending work then waits for the schedule too', () => {
    const { triggers: t } = triggers();
    t.failed(failure('transient'));
    t.failed(failure('transient'));
    expect(t.consecutiveFailures).toBe(2);
    expect(t.nextDelayMs(true)).toBe(60_000);
    t.succeeded(false, undefined);
    expect(t.consecutiveFailures).toBe(0);
    expect(t.nextDelayMs(true)).toBe(0);
  });

  it('an answer the portal put off counts as a failure for the schedule; the portal’s not-before is kept', () => {
    const { clock, triggers: t } = triggers();
    t.succeeded(true, clock.now() + 90_000);
    expect(t.consecutiveFailures).toBe(1);
    expect(t.nextDelayMs(false)).toBe(90_000);
  });

  it('a push hint wakes the wait, except after a failure or while the portal asked to wait', async () => {
    const { clock, triggers: t } = triggers();
    const hinted = async (): Promise<boolean> => {
      t.arm();
      const wait = t.waitForNext(false, new AbortController().signal);
      t.requestSync();
      return wokeWithin(clock, wait, 0);
    };
    expect(await hinted()).toBe(true);
    t.failed(failure('transient'));
    expect(await hinted()).toBe(false);
    t.succeeded(false, clock.now() + 60_000);
    expect(await hinted()).toBe(false);
    t.succeeded(false, undefined);
    expect(await hinted()).toBe(true);
  });

  it('an error that needs the user stops polling until Retry (pollNow), which also clears the backoff', async () => {
    const { clock, triggers: t } = triggers();
    t.failed(failure('auth', clock.now() + 60_000));
    expect(t.idle(true)).toBe(true);
    expect(t.nextDelayMs(true)).toBe(NEVER);
    t.arm();
    const wait = t.waitForNext(false, new AbortController().signal);
    t.requestSync();
    expect(await wokeWithin(clock, wait, 0)).toBe(false);
    t.pollNow();
    expect(await wokeWithin(clock, wait, 0)).toBe(true);
    expect(t.consecutiveFailures).toBe(0);
    expect(t.nextDelayMs(true)).toBe(0);
  });

  it('a wait ends when stopped, and on its own when due', async () => {
    const { clock, triggers: t } = triggers();
    t.arm();
    const stop = new AbortController();
    const stopped = t.waitForNext(false, stop.signal);
    stop.abort();
    expect(await wokeWithin(clock, stopped, 0)).toBe(true);
    t.arm();
    const due = t.waitForNext(false, new AbortController().signal);
    expect(await wokeWithin(clock, due, 29_999)).toBe(false);
    expect(await wokeWithin(clock, due, 1)).toBe(true);
  });
});

describe('what holds polling back', () => {
  it('offline first, then sleep, a pause or a locked screen', () => {
    const { triggers: t } = triggers();
    expect(t.blockedReason()).toBeUndefined();
    t.setActivity('locked');
    expect(t.blockedReason()).toBe('paused');
    t.setActivity('active');
    t.setUserPaused(true);
    expect(t.blockedReason()).toBe('paused');
    t.setUserPaused(false);
    t.setSystemState({ suspended: true });
    expect(t.blockedReason()).toBe('paused');
    t.setSystemState({ online: false });
    expect(t.blockedReason()).toBe('offline');
    t.setSystemState({ suspended: false, online: true });
    expect(t.blockedReason()).toBeUndefined();
  });

  it('a locked screen holds back polls but lets answers already made go out; sleep, offline and pause hold both', () => {
    const { triggers: t } = triggers();
    t.setActivity('locked');
    expect([t.idle(false), t.idle(true)]).toEqual([true, false]);
    expect(t.nextDelayMs(true)).toBe(0);
    expect(t.nextDelayMs(false)).toBe(NEVER);
    for (const hold of [() => t.setSystemState({ suspended: true }), () => t.setSystemState({ online: false }), () => t.setUserPaused(true)]) {
      hold();
      expect(t.idle(true)).toBe(true);
      t.setSystemState({ suspended: false, online: true });
      t.setUserPaused(false);
    }
  });
});
