/**
 * Snoozed items (issue 17): Bitrix24 has no snooze, so it is ours, per portal, stored with the
 * account (`account:<id>:snoozed`, removed with it). A snoozed item leaves "needs your answer" and
 * the counts until it wakes; then it pops up again. Wake times are wall-clock instants, so a wake
 * that fell while the computer slept or the app was closed happens at the next check (resume,
 * start). Whether an item still exists, is read or answered is the hub's to say (`prune`).
 */
import * as v from 'valibot';
import { MAX_TIMER_DELAY_MS, type Clock } from '../clock';
import { accountKey } from '../accounts/keys';
import type { Storage } from '../storage/storage';

/** What the user picks; times are the person's local time. */
export type SnoozeChoice = { kind: 'hour' } | { kind: 'tomorrow' } | { kind: 'monday' } | { kind: 'at'; atMs: number };

/** "Tomorrow" and "Monday" wake at this local hour. */
export const MORNING_HOUR = 9;
/** A chosen time further off than this is a typo, not a plan. */
export const MAX_SNOOZE_MS = 366 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const MONDAY = 1;

export class SnoozeTimeError extends RangeError {
  override readonly name = 'SnoozeTimeError';
}

/** When `choice` wakes, counted from `nowMs` in local time. */
export function wakeTime(choice: SnoozeChoice, nowMs: number): number {
  const now = new Date(nowMs);
  switch (choice.kind) {
    case 'hour':
      return nowMs + HOUR_MS;
    case 'tomorrow':
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, MORNING_HOUR).getTime();
    case 'monday': {
      // The next Monday after today (on a Monday, the one a week later).
      const daysAhead = ((MONDAY - now.getDay() + 7) % 7) || 7;
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysAhead, MORNING_HOUR).getTime();
    }
    case 'at':
      if (!Number.isFinite(choice.atMs) || choice.atMs <= nowMs) throw new SnoozeTimeError('Pick a time that is still to come.');
      if (choice.atMs - nowMs > MAX_SNOOZE_MS) throw new SnoozeTimeError('Pick a time within a year.');
      return choice.atMs;
  }
}

const SnoozedSchema = v.array(v.strictObject({ id: v.pipe(v.number(), v.integer(), v.minValue(1)), wakeAtMs: v.pipe(v.number(), v.integer(), v.minValue(0)) }));

export interface SnoozesOptions {
  storage: Storage;
  clock: Clock;
  /** The snoozes of an account changed (the window and the tray count follow). */
  onChange(accountId: string): void;
  /** These items' time has come (the hub pops them up again, and says whether they were found). */
  onWake(accountId: string, notificationIds: number[]): void;
}

export class Snoozes {
  readonly #options: SnoozesOptions;
  /** accountId → notificationId → wake time (epoch ms). */
  readonly #books = new Map<string, Map<number, number>>();
  #timer: AbortController | undefined;

  constructor(options: SnoozesOptions) {
    this.#options = options;
  }

  /** Reads an account's snoozes from storage (a portal started); due ones wake at the next check. */
  load(accountId: string): void {
    const stored = this.#options.storage.read(accountKey(accountId, 'snoozed'), SnoozedSchema) ?? [];
    this.#books.set(accountId, new Map(stored.map((entry) => [entry.id, entry.wakeAtMs])));
    this.#arm();
  }

  /** The account's snoozed items and their wake times; empty when none. */
  of(accountId: string): ReadonlyMap<number, number> {
    return this.#books.get(accountId) ?? new Map();
  }

  snooze(accountId: string, notificationId: number, choice: SnoozeChoice): number {
    const wakeAtMs = wakeTime(choice, this.#options.clock.now());
    this.#book(accountId).set(notificationId, wakeAtMs);
    this.#changed(accountId);
    return wakeAtMs;
  }

  /** Wakes an item now, without a popup (the user did it in the window). */
  unsnooze(accountId: string, notificationId: number): void {
    if (this.#books.get(accountId)?.delete(notificationId)) this.#changed(accountId);
  }

  /** Forgets items the hub says are gone, read or answered: they simply leave the Snoozed list. */
  prune(accountId: string, gone: Iterable<number>): void {
    const book = this.#books.get(accountId);
    if (!book) return;
    let changed = false;
    for (const id of gone) changed = book.delete(id) || changed;
    if (changed) this.#changed(accountId);
  }

  /** Wakes everything due (a timer fired, the computer resumed, a portal's first sync arrived). */
  checkNow(): void {
    const nowMs = this.#options.clock.now();
    for (const [accountId, book] of this.#books) {
      const due = [...book].filter(([, wakeAtMs]) => wakeAtMs <= nowMs).map(([id]) => id);
      if (due.length > 0) this.#options.onWake(accountId, due);
    }
    this.#arm();
  }

  /** The hub popped these up again (or found them gone): they are no longer snoozed. */
  woke(accountId: string, notificationIds: readonly number[]): void {
    this.prune(accountId, notificationIds);
  }

  stop(): void {
    this.#timer?.abort();
    this.#timer = undefined;
  }

  #book(accountId: string): Map<number, number> {
    let book = this.#books.get(accountId);
    if (!book) this.#books.set(accountId, (book = new Map()));
    return book;
  }

  #changed(accountId: string): void {
    const entries = [...this.of(accountId)].map(([id, wakeAtMs]) => ({ id, wakeAtMs }));
    const key = accountKey(accountId, 'snoozed');
    if (entries.length === 0) this.#options.storage.remove(key);
    else this.#options.storage.write(key, SnoozedSchema, entries);
    this.#arm();
    this.#options.onChange(accountId);
  }

  /**
   * One timer, for the earliest wake still to come. Items already due but not yet found (a portal
   * not synced since the start) wait for the hub's next check, not for a timer that would spin.
   */
  #arm(): void {
    this.#timer?.abort();
    this.#timer = undefined;
    const nowMs = this.#options.clock.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const book of this.#books.values()) for (const wakeAtMs of book.values()) if (wakeAtMs > nowMs) earliest = Math.min(earliest, wakeAtMs);
    if (earliest === Number.POSITIVE_INFINITY) return;
    const timer = new AbortController();
    this.#timer = timer;
    const delayMs = Math.min(MAX_TIMER_DELAY_MS, earliest - nowMs);
    this.#options.clock.sleep(delayMs, timer.signal).then(
      () => {
        if (this.#timer === timer) this.checkNow();
      },
      () => undefined, // aborted: re-armed elsewhere
    );
  }
}
