/**
 * When the engine talks to the portal, as the shell drives it: start and stop (with the push
 * channel), sleep, network and screen lock, the person coming and going, and the user's pause.
 * Against the portal simulator over loopback, with a fake clock (see harness/engine-schedule.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountEngine, EnginePush } from '../../main/core/engine/account-engine';
import { startPortalSim, type PortalSim } from '../portal-sim';
import type { PortalSimOptions } from '../portal-sim/types';
import { nextEvent } from '../harness/engine-harness';
import { INTERVAL_MS, engineOn as engineWith, nextSyncDueInMs, restRequests, started, syncsAtOnce } from '../harness/engine-schedule';
import { FakeClock } from '../harness/fake-clock';

const DAY_MS = 24 * 60 * 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(options: PortalSimOptions = {}): Promise<PortalSim> {
  const portal = await startPortalSim(options);
  cleanups.push(() => portal.close());
  return portal;
}

const engineOn = (portal: PortalSim, clock: FakeClock, options: Parameters<typeof engineWith>[3] = {}): AccountEngine => engineWith(portal, clock, cleanups, options);

/** An engine on a fresh simulator, started, on a fake clock. */
async function running(): Promise<{ portal: PortalSim; clock: FakeClock; engine: AccountEngine }> {
  const portal = await sim();
  const clock = new FakeClock();
  const engine = engineOn(portal, clock);
  await started(engine);
  return { portal, clock, engine };
}

/** A push channel that notes what the engine asked of it. */
function recordingPush(): EnginePush & { calls: string[] } {
  const calls: string[] = [];
  return { calls, start: () => void calls.push('start'), stop: () => void calls.push('stop'), reconnect: (reason) => void calls.push(`reconnect:${reason}`) };
}

describe('AccountEngine: start, stop and the push channel', () => {
  it('runs one schedule however often it is started, and starts the push channel once', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineOn(portal, clock);
    const push = recordingPush();
    engine.attachPush(push);
    await started(engine);
    engine.start();
    expect(push.calls).toEqual(['start']);
    expect(await nextSyncDueInMs(clock)).toBe(INTERVAL_MS);
    expect(restRequests(portal)).toBe(1);
  });

  it('stops the push channel once, and not at all for an engine that never ran', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineOn(portal, clock);
    const push = recordingPush();
    engine.attachPush(push);
    await engine.stop();
    expect(push.calls).toEqual([]);
    await started(engine);
    await engine.stop();
    await engine.stop();
    expect(push.calls).toEqual(['start', 'stop']);
  });

  it('abandons a request in flight on stop without reporting a portal problem', async () => {
    const { portal, clock, engine } = await running();
    const polls: boolean[] = [];
    engine.on('polled', (ok) => polls.push(ok));
    portal.injectFault({ kind: 'delay', ms: 5_000 }, { restMethod: 'im.notify.get' });
    await clock.advance(INTERVAL_MS); // the next poll is now waiting on the slow portal
    await engine.stop();
    expect(polls).toEqual([]);
    expect(engine.state.connection).toEqual({ status: 'ok' });
  });

  it('tells the push channel to reconnect on resume and when back online, saying which', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineOn(portal, clock);
    const push = recordingPush();
    engine.attachPush(push);
    await started(engine);
    engine.setSystemState({ suspended: true });
    engine.setSystemState({ online: false });
    expect(push.calls).toEqual(['start']);
    engine.setSystemState({ suspended: false });
    engine.setSystemState({ online: true });
    expect(push.calls).toEqual(['start', 'reconnect:resumed', 'reconnect:online']);
  });

  it('shows each change of instant delivery once', async () => {
    const portal = await sim();
    const engine = engineOn(portal, new FakeClock());
    let changes = 0;
    engine.on('changed', () => (changes += 1));
    engine.setInstantState('on');
    engine.setInstantState('on');
    expect(engine.state.instant).toBe('on');
    expect(changes).toBe(1);
  });
});

describe('AccountEngine: system, screen and the person', () => {
  it('does not let a network notice while online lift a stop on bad credentials', async () => {
    const { portal, clock, engine } = await running();
    portal.injectFault({ kind: 'error', code: 'INVALID_CREDENTIALS', description: 'Invalid request credentials', status: 401 });
    const failed = nextEvent(engine, 'polled');
    await clock.advance(INTERVAL_MS);
    expect(await failed).toEqual([false]);
    engine.setSystemState({ online: true });
    // Stopped until the user acts: no sync is scheduled, so the webhook is not hammered.
    expect(await nextSyncDueInMs(clock)).toBeGreaterThan(DAY_MS);
    expect(engine.state.connection).toMatchObject({ status: 'auth-needed' });
  });

  it('keeps the schedule when the person is reported active again while active', async () => {
    const { clock, engine } = await running();
    await clock.advance(10_000);
    for (let i = 0; i < 3; i += 1) engine.setActivity('active');
    expect(await nextSyncDueInMs(clock)).toBe(INTERVAL_MS - 10_000);
  });

  it('stretches to two minutes when the person goes away, without syncing now, and syncs at once when they come back', async () => {
    const { clock, engine } = await running();
    engine.setActivity('idle');
    expect(engine.activity).toBe('idle');
    expect(await nextSyncDueInMs(clock)).toBe(INTERVAL_MS);
    const polled = nextEvent(engine, 'polled');
    await clock.advance(INTERVAL_MS);
    await polled;
    expect(await nextSyncDueInMs(clock)).toBe(120_000);
    await syncsAtOnce(engine, clock, () => engine.setActivity('active'));
    expect(await nextSyncDueInMs(clock)).toBe(INTERVAL_MS);
  });

  it('syncs at once when the screen is unlocked, even if the person is still away', async () => {
    const { clock, engine } = await running();
    engine.setActivity('locked');
    expect(engine.state.connection).toEqual({ status: 'paused' });
    await syncsAtOnce(engine, clock, () => engine.setActivity('idle'));
    expect(engine.state.connection).toEqual({ status: 'ok' });
  });

  it('keeps saying "offline" when the screen locks while offline', async () => {
    const { engine } = await running();
    engine.setSystemState({ online: false });
    engine.setActivity('locked');
    expect(engine.state.connection).toEqual({ status: 'offline' });
  });

  it('pauses on the user’s word, syncs at once when resumed, and a resume while running shows no pause', async () => {
    const { portal, clock, engine } = await running();
    // The shell applies the stored setting at start: "not paused" must not flash a pause.
    await syncsAtOnce(engine, clock, () => {
      engine.setUserPaused(false);
      expect(engine.state.connection).toEqual({ status: 'ok' });
    });
    engine.setUserPaused(true);
    expect(engine.state.connection).toEqual({ status: 'paused' });
    const requests = restRequests(portal);
    await clock.advance(INTERVAL_MS); // the wait under way ends, and no sync follows
    expect(await nextSyncDueInMs(clock)).toBeGreaterThan(DAY_MS);
    expect(restRequests(portal)).toBe(requests);
    await syncsAtOnce(engine, clock, () => engine.setUserPaused(false));
    expect(engine.state.connection).toEqual({ status: 'ok' });
  });
});
