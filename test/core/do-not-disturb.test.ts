/**
 * Do-not-disturb as the user sets it (Settings, the tray toggle): the quiet period's edges to the
 * minute, a period across midnight, the toggle, and which settings from disk are accepted.
 * Written for the survivors of the first mutation run over main/core/notifier.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ALL_WEEK,
  DEFAULT_DO_NOT_DISTURB,
  DEFAULT_WEEKLY_PERIODS,
  DoNotDisturbSchema,
  MAX_QUIET_PERIODS,
  isQuietTime,
  migrateDoNotDisturb,
  toggledDoNotDisturb,
  type DoNotDisturb,
} from '../../main/core/notifier/do-not-disturb';

const at = (hours: number, minutes: number): Date => new Date(2026, 11, 5, hours, minutes);
const schedule = (from: [number, number], to: [number, number]): DoNotDisturb => ({ mode: 'schedule', fromMinute: from[0] * 60 + from[1], toMinute: to[0] * 60 + to[1] });

describe('the quiet period', () => {
  it('within a day: quiet from its first minute up to, not including, its last', () => {
    const working = schedule([9, 30], [17, 0]);
    expect([at(9, 29), at(9, 30), at(16, 59), at(17, 0), at(3, 0)].map((time) => isQuietTime(working, time))).toEqual([false, true, true, false, false]);
  });

  it('across midnight: quiet late in the evening and early in the morning, not at noon', () => {
    const night = schedule([22, 0], [7, 0]);
    expect([at(21, 59), at(22, 0), at(0, 0), at(6, 59), at(7, 0), at(12, 0)].map((time) => isQuietTime(night, time))).toEqual([false, true, true, true, false, false]);
  });

  it('a period that starts and ends at the same minute is empty, not the whole day', () => {
    expect([at(8, 0), at(20, 0)].map((time) => isQuietTime(schedule([8, 0], [8, 0]), time))).toEqual([false, false]);
  });

  it('off is never quiet, on always, and off is the default', () => {
    expect(isQuietTime({ mode: 'off' }, at(23, 0))).toBe(false);
    expect(isQuietTime({ mode: 'on' }, at(12, 0))).toBe(true);
    expect(DEFAULT_DO_NOT_DISTURB).toEqual({ mode: 'off' });
  });
});

describe('the tray toggle', () => {
  it('quiet now → off; not quiet now → on (a schedule is replaced either way)', () => {
    expect(toggledDoNotDisturb({ mode: 'on' }, at(12, 0))).toEqual({ mode: 'off' });
    expect(toggledDoNotDisturb({ mode: 'off' }, at(12, 0))).toEqual({ mode: 'on' });
    expect(toggledDoNotDisturb(schedule([22, 0], [7, 0]), at(23, 0))).toEqual({ mode: 'off' });
    expect(toggledDoNotDisturb(schedule([22, 0], [7, 0]), at(12, 0))).toEqual({ mode: 'on' });
  });
});

describe('settings from disk', () => {
  it('accepts off, on and a period of minutes of the day; refuses anything else', () => {
    const ok = (value: unknown): boolean => v.safeParse(DoNotDisturbSchema, value).success;
    expect([{ mode: 'off' }, { mode: 'on' }, { mode: 'schedule', fromMinute: 0, toMinute: 1439 }].map(ok)).toEqual([true, true, true]);
    expect(
      [{ mode: '' }, { mode: 'sometimes' }, { mode: 'schedule', fromMinute: 0, toMinute: 1440 }, { mode: 'schedule', fromMinute: -1, toMinute: 60 }, { mode: 'schedule', fromMinute: 1.5, toMinute: 60 }].map(ok),
    ).toEqual([false, false, false, false, false]);
  });
});

describe('quiet hours by weekday (issue 17)', () => {
  // 7 December 2026 is a Monday.
  const on = (day: number, hours: number, minutes = 0): Date => new Date(2026, 11, 6 + day, hours, minutes); // day 1 = Monday … 6 = Saturday, 7 = Sunday
  const workWeekAndWeekend: DoNotDisturb = { mode: 'weekly', periods: DEFAULT_WEEKLY_PERIODS };

  it('Mon–Fri 19:00–08:30 runs into each next morning; Sat and Sun all day', () => {
    const cases: [Date, boolean][] = [
      [on(1, 8, 29), false], // Monday morning: Sunday's all-day period ended at midnight
      [on(1, 12, 0), false],
      [on(1, 18, 59), false],
      [on(1, 19, 0), true],
      [on(2, 8, 29), true], // Tuesday early: Monday's evening period
      [on(2, 8, 30), false],
      [on(5, 23, 0), true], // Friday night
      [on(6, 8, 0), true], // Saturday: Friday's night and Saturday's day
      [on(6, 14, 0), true],
      [on(7, 23, 59), true], // Sunday, last minute
    ];
    expect(cases.map(([time]) => isQuietTime(workWeekAndWeekend, time))).toEqual(cases.map(([, quiet]) => quiet));
  });

  it('a period only on the days it names; an empty period is never quiet', () => {
    const wednesdays: DoNotDisturb = { mode: 'weekly', periods: [{ days: [3], fromMinute: 9 * 60, toMinute: 10 * 60 }] };
    expect([on(3, 9, 30), on(4, 9, 30), on(2, 9, 30)].map((time) => isQuietTime(wednesdays, time))).toEqual([true, false, false]);
    // From its first minute up to, not including, its end.
    expect([on(3, 8, 59), on(3, 9, 0), on(3, 9, 59), on(3, 10, 0)].map((time) => isQuietTime(wednesdays, time))).toEqual([false, true, true, false]);
    expect(isQuietTime({ mode: 'weekly', periods: [{ days: [...ALL_WEEK], fromMinute: 600, toMinute: 600 }] }, on(3, 10, 0))).toBe(false);
    expect(isQuietTime({ mode: 'weekly', periods: [] }, on(3, 10, 0))).toBe(false);
  });

  it('older settings migrate: the daily period on every day, the same minutes quiet as before', () => {
    const old = schedule([22, 0], [7, 0]);
    const migrated = migrateDoNotDisturb(old);
    expect(migrated).toEqual({ mode: 'weekly', periods: [{ days: [0, 1, 2, 3, 4, 5, 6], fromMinute: 22 * 60, toMinute: 7 * 60 }] });
    for (let hour = 0; hour < 24 * 7; hour += 1) {
      const time = on(1 + Math.floor(hour / 24), hour % 24, 30);
      expect(isQuietTime(migrated, time), time.toString()).toBe(isQuietTime(old, time));
    }
    expect(migrateDoNotDisturb({ mode: 'on' })).toEqual({ mode: 'on' });
  });

  it('stored weekly settings are checked: day numbers, 24:00 as an end only, at most eight periods', () => {
    const ok = (value: unknown): boolean => v.safeParse(DoNotDisturbSchema, value).success;
    expect(ok({ mode: 'weekly', periods: DEFAULT_WEEKLY_PERIODS })).toBe(true);
    expect(ok({ mode: 'weekly', periods: [{ days: [7], fromMinute: 0, toMinute: 60 }] })).toBe(false);
    expect(ok({ mode: 'weekly', periods: [{ days: [], fromMinute: 0, toMinute: 60 }] })).toBe(false);
    expect(ok({ mode: 'weekly', periods: [{ days: [1], fromMinute: 1440, toMinute: 60 }] })).toBe(false);
    expect(ok({ mode: 'weekly', periods: Array.from({ length: MAX_QUIET_PERIODS + 1 }, () => DEFAULT_WEEKLY_PERIODS[0]) })).toBe(false);
  });
});
