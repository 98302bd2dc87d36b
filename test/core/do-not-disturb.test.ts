/**
 * Do-not-disturb as the user sets it (Settings, the tray toggle): the quiet period's edges to the
 * minute, a period across midnight, the toggle, and which settings from disk are accepted.
 * Written for the survivors of the first mutation run over main/core/notifier.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DO_NOT_DISTURB, DoNotDisturbSchema, isQuietTime, toggledDoNotDisturb, type DoNotDisturb } from '../../main/core/notifier/do-not-disturb';

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
