/**
 * How often the engine polls: the interval settings, the safety poll while push is healthy, the
 * portal's operating-time budget, an answer or mark the portal put off, and a failure that is not
 * the portal's. Against the portal simulator over loopback, with a fake clock (see
 * harness/engine-schedule.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountEngine } from '../../main/core/engine/account-engine';
import { MemoryBackend, Storage } from '../../main/core/storage/storage';
import { startPortalSim, type PortalSim } from '../portal-sim';
import type { PortalSimOptions } from '../portal-sim/types';
import { nextEvent } from '../harness/engine-harness';
import { INTERVAL_MS, engineOn as engineWith, nextSyncDueInMs, started, syncsAtOnce } from '../harness/engine-schedule';
import { FakeClock } from '../harness/fake-clock';

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

/** Settings storage on a disk that can fill up: writes then fail, as with ENOSPC. */
class FillingDisk extends MemoryBackend {
  full = false;
  override set(key: string, value: unknown): void {
    if (this.full) throw new Error('ENOSPC: no space left on device');
    super.set(key, value);
  }
}

describe('AccountEngine: how often it polls', () => {
  it('applies a new interval setting with a sync now, then at the new interval', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineOn(portal, clock);
    await started(engine);
    await syncsAtOnce(engine, clock, () => engine.setPollInterval(60_000));
    expect(engine.pollIntervalMs).toBe(60_000);
    expect(await nextSyncDueInMs(clock)).toBe(60_000);
  });

  it('polls only at the safety interval while push is healthy', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineOn(portal, clock);
    await started(engine);
    engine.setSafetyPoll(10 * 60_000);
    const polled = nextEvent(engine, 'polled');
    await clock.advance(INTERVAL_MS); // the wait already under way ends as planned
    await polled;
    expect(await nextSyncDueInMs(clock)).toBe(10 * 60_000);
  });

  it('stretches the interval as im.notify.get uses up its operating-time budget', async () => {
    const clock = new FakeClock();
    // 300 s of the 480 s budget per poll (real-portal-notes §3; bitrix24-notify-api.md §4.4–4.5).
    const portal = await sim({ now: () => clock.now(), operating: { limitSec: 480, costSec: { 'im.notify.get': 300 } } });
    const engine = engineOn(portal, clock, { clientClock: clock });
    await started(engine);
    // Pressure 300/480 = 0.625: past half the budget the interval grows to 30 s × (1 + 6 × 0.125).
    expect(await nextSyncDueInMs(clock)).toBe(52_500);
  });

  it('waits an interval before sending again what the portal put off, instead of retrying at once', async () => {
    const portal = await sim();
    const note = portal.addPersonal({ text: 'Read me' });
    const clock = new FakeClock();
    const engine = engineOn(portal, clock);
    await started(engine);
    // A batch sub-call can fail on its own inside an HTTP 200 (real-portal-notes §3); here the mark
    // hits a transient server error while the refresh in the same batch succeeds.
    const page = await fetch(`${portal.webhookUrl}im.notify.get.json?LIMIT=50`).then((reply) => reply.json() as Promise<{ result: unknown }>);
    const body = {
      result: { result: { refresh: page.result }, result_error: { read: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' } }, result_total: [], result_next: [], result_time: [] },
      time: {},
    };
    portal.injectFault({ kind: 'status', status: 200, body: JSON.stringify(body), contentType: 'application/json' }, { restMethod: 'batch' });
    const putOff = nextEvent(engine, 'polled');
    engine.markRead([note.id]);
    expect(await putOff).toEqual([true]);
    expect(portal.get(note.id)?.notify_read).toBe('N');
    expect(await nextSyncDueInMs(clock)).toBe(INTERVAL_MS);
    const retried = nextEvent(engine, 'polled');
    await clock.advance(INTERVAL_MS);
    await retried;
    expect(portal.get(note.id)?.notify_read).toBe('Y');
  });
});

describe('AccountEngine: a failure that is not the portal’s', () => {
  it('shows a retrying error when the settings file cannot be written, and keeps syncing', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const disk = new FillingDisk();
    const storage = new Storage(disk, () => undefined);
    const engine = engineOn(portal, clock, { storage });
    await started(engine);
    const announced: number[] = [];
    engine.on('announced', (items) => announced.push(...items.map((item) => item.id)));
    const news = portal.addPersonal({ text: 'New' });
    disk.full = true;
    const failed = nextEvent(engine, 'polled');
    await clock.advance(INTERVAL_MS);
    expect(await failed).toEqual([false]);
    expect(engine.state.connection).toEqual({ status: 'error', message: 'The portal had a temporary problem. Retrying automatically.', retryAt: undefined });
    disk.full = false;
    const recovered = nextEvent(engine, 'polled');
    await clock.advance(INTERVAL_MS);
    expect(await recovered).toEqual([true]);
    expect(announced).toEqual([news.id]);
  });
});
