/**
 * The snooze book on its own (main/core/app/snoozes.ts, issue 17): what it keeps in the settings
 * file per account, when it tells its owner an item woke or the list changed, and the limits of a
 * chosen time. The owner here does what the hub does on a wake: it takes the items back
 * (`woke`) at once. Virtual time; the real conf-backed store in a temp folder.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SNOOZE_MS, Snoozes, wakeTime } from '../../main/core/app/snoozes';
import { MAX_TIMER_DELAY_MS } from '../../main/core/clock';
import { tempStorage, type TempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';

const HOUR_MS = 3_600_000;
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

interface Book {
  snoozes: Snoozes;
  /** Accounts whose snoozes changed, in order. */
  changes: string[];
  /** What woke, per account, in order. */
  wakes: [string, number[]][];
}

/** A snooze book on `store`, owned like the hub owns it: woken items are taken back at once. */
function snoozeBook(store: TempStorage, clock: FakeClock): Book {
  const changes: string[] = [];
  const wakes: [string, number[]][] = [];
  const snoozes: Snoozes = new Snoozes({
    storage: store.open(),
    clock,
    onChange: (accountId) => changes.push(accountId),
    onWake: (accountId, ids) => {
      wakes.push([accountId, ids]);
      snoozes.woke(accountId, ids);
    },
  });
  stops.push(() => snoozes.stop());
  return { snoozes, changes, wakes };
}

/** The account's snoozes as written in the settings file (undefined: no entry at all). */
function onDisk(store: TempStorage, accountId: string): unknown {
  return (JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>)[`account:${accountId}:snoozed`];
}

describe('a chosen wake time', () => {
  const now = new Date(2026, 2, 4, 18, 30).getTime();

  it('may be a whole snooze year ahead, not a millisecond more; refusals say what to pick', () => {
    expect(wakeTime({ kind: 'at', atMs: now + MAX_SNOOZE_MS }, now)).toBe(now + MAX_SNOOZE_MS);
    expect(() => wakeTime({ kind: 'at', atMs: now + MAX_SNOOZE_MS + 1 }, now)).toThrow(
      expect.objectContaining({ name: 'SnoozeTimeError', message: 'Pick a time within a year.' }),
    );
    expect(() => wakeTime({ kind: 'at', atMs: now - 60_000 }, now)).toThrow(
      expect.objectContaining({ name: 'SnoozeTimeError', message: 'Pick a time that is still to come.' }),
    );
  });
});

describe('the snooze book in the settings file', () => {
  it('keeps every snoozed item of an account, and drops the entry when the last one leaves', () => {
    const store = tempStorage();
    const clock = new FakeClock();
    const { snoozes, changes } = snoozeBook(store, clock);
    const first = snoozes.snooze('acme', 11, { kind: 'hour' });
    const second = snoozes.snooze('acme', 12, { kind: 'tomorrow' });
    expect(onDisk(store, 'acme')).toEqual([
      { id: 11, wakeAtMs: first },
      { id: 12, wakeAtMs: second },
    ]);
    snoozes.unsnooze('acme', 11);
    expect(onDisk(store, 'acme')).toEqual([{ id: 12, wakeAtMs: second }]);
    snoozes.unsnooze('acme', 12);
    expect(onDisk(store, 'acme')).toBeUndefined();
    expect(changes).toEqual(['acme', 'acme', 'acme', 'acme']);
  });

  it('showing or forgetting items of an account with no snoozes does nothing and reports nothing', () => {
    const store = tempStorage();
    const { snoozes, changes } = snoozeBook(store, new FakeClock());
    snoozes.snooze('acme', 11, { kind: 'hour' });
    changes.length = 0;
    expect(() => snoozes.unsnooze('beta', 11)).not.toThrow();
    expect(() => snoozes.prune('beta', [11])).not.toThrow();
    snoozes.unsnooze('acme', 99);
    expect(changes).toEqual([]);
    expect(snoozes.of('acme').has(11)).toBe(true);
  });

  it('forgets gone items that were snoozed, on disk too, and reports a change only when one went', () => {
    const store = tempStorage();
    const { snoozes, changes } = snoozeBook(store, new FakeClock());
    const kept = snoozes.snooze('acme', 11, { kind: 'hour' });
    snoozes.snooze('acme', 12, { kind: 'hour' });
    changes.length = 0;

    snoozes.prune('acme', [40, 41]);
    expect(changes).toEqual([]);

    // The snoozed one listed after one that never was.
    snoozes.prune('acme', [40, 12]);
    expect([...snoozes.of('acme').keys()]).toEqual([11]);
    expect(onDisk(store, 'acme')).toEqual([{ id: 11, wakeAtMs: kept }]);
    expect(changes).toEqual(['acme']);
  });
});

describe('waking', () => {
  it('wakes an item at its time, and tells nothing about accounts with nothing due', async () => {
    const clock = new FakeClock();
    const { snoozes, wakes } = snoozeBook(tempStorage(), clock);
    snoozes.snooze('acme', 11, { kind: 'hour' });
    snoozes.snooze('beta', 21, { kind: 'monday' });
    await clock.advance(HOUR_MS - 1);
    expect(wakes).toEqual([]);
    await clock.advance(1);
    expect(wakes).toEqual([['acme', [11]]]);
    expect(snoozes.of('beta').has(21)).toBe(true);
  });

  it('once stopped (the app quits), wakes nothing', async () => {
    const clock = new FakeClock();
    const { snoozes, wakes } = snoozeBook(tempStorage(), clock);
    snoozes.snooze('acme', 11, { kind: 'hour' });
    snoozes.stop();
    await clock.advance(2 * HOUR_MS);
    expect(wakes).toEqual([]);
  });

  it('an item already due when its account loads waits for the next check (the portal’s first sync), however long', async () => {
    const store = tempStorage();
    const clock = new FakeClock();
    const before = snoozeBook(store, clock);
    before.snoozes.snooze('acme', 11, { kind: 'hour' });
    before.snoozes.stop();
    // The app was closed until exactly the wake time.
    await clock.advance(HOUR_MS);

    const after = snoozeBook(store, clock);
    after.snoozes.load('acme');
    expect(after.snoozes.of('acme').get(11)).toBe(clock.now());
    await clock.advance(MAX_TIMER_DELAY_MS + HOUR_MS);
    expect(after.wakes).toEqual([]);
    after.snoozes.checkNow();
    expect(after.wakes).toEqual([['acme', [11]]]);
    expect(onDisk(store, 'acme')).toBeUndefined();
  });
});
