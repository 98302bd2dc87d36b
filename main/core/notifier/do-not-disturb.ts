/**
 * Do-not-disturb: off, on, or quiet hours by weekday in local time (issue 17): periods such as
 * Mon–Fri 19:00–08:30 (a period that wraps past midnight runs into the next morning) and Sat–Sun
 * all day (00:00–24:00). Quiet means no popups and no sound; items still reach the inbox and the
 * count, and a digest follows (quiet-digest.ts). The older single daily period ('schedule') is
 * still read, and migrated to the weekly form when settings load (`migrateDoNotDisturb`).
 */
import * as v from 'valibot';

const MINUTES_PER_DAY = 24 * 60;
const MinuteOfDay = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MINUTES_PER_DAY - 1));
/** An end may be 24:00, the end of the day. */
const EndMinute = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MINUTES_PER_DAY));
/** 0 = Sunday … 6 = Saturday, as Date.getDay(). */
const Weekday = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6));
export const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6] as const;

export const QuietPeriodSchema = v.object({
  days: v.pipe(v.array(Weekday), v.minLength(1), v.maxLength(7)),
  fromMinute: MinuteOfDay,
  toMinute: EndMinute,
});
export type QuietPeriod = v.InferOutput<typeof QuietPeriodSchema>;
export const MAX_QUIET_PERIODS = 8;

export const DoNotDisturbSchema = v.variant('mode', [
  v.object({ mode: v.literal('off') }),
  v.object({ mode: v.literal('on') }),
  v.object({ mode: v.literal('schedule'), fromMinute: MinuteOfDay, toMinute: MinuteOfDay }),
  v.object({ mode: v.literal('weekly'), periods: v.pipe(v.array(QuietPeriodSchema), v.maxLength(MAX_QUIET_PERIODS)) }),
]);
export type DoNotDisturb = v.InferOutput<typeof DoNotDisturbSchema>;

export const DEFAULT_DO_NOT_DISTURB: DoNotDisturb = { mode: 'off' };

/** What a new weekly schedule starts as: weekday evenings and nights, and the weekend. */
export const DEFAULT_WEEKLY_PERIODS: QuietPeriod[] = [
  { days: [1, 2, 3, 4, 5], fromMinute: 19 * 60, toMinute: 8 * 60 + 30 },
  { days: [0, 6], fromMinute: 0, toMinute: MINUTES_PER_DAY },
];

/** The single daily period of older settings becomes the same period on every day of the week. */
export function migrateDoNotDisturb(setting: DoNotDisturb): DoNotDisturb {
  if (setting.mode !== 'schedule') return setting;
  return { mode: 'weekly', periods: [{ days: [...ALL_WEEK], fromMinute: setting.fromMinute, toMinute: setting.toMinute }] };
}

/** Within `period` at `day`/`minute`: a period whose end comes before its start runs into the next day. */
function inPeriod(period: QuietPeriod, day: number, minute: number): boolean {
  const { days, fromMinute, toMinute } = period;
  if (fromMinute === toMinute) return false; // an empty period, not the whole day
  if (fromMinute < toMinute) return days.includes(day) && minute >= fromMinute && minute < toMinute;
  return (days.includes(day) && minute >= fromMinute) || (days.includes((day + 6) % 7) && minute < toMinute);
}

export function isQuietTime(setting: DoNotDisturb, at: Date): boolean {
  if (setting.mode === 'weekly') return setting.periods.some((period) => inPeriod(period, at.getDay(), at.getHours() * 60 + at.getMinutes()));
  if (setting.mode !== 'schedule') return setting.mode === 'on';
  const minute = at.getHours() * 60 + at.getMinutes();
  const { fromMinute, toMinute } = setting;
  if (fromMinute === toMinute) return false; // an empty period, not the whole day
  return fromMinute < toMinute ? minute >= fromMinute && minute < toMinute : minute >= fromMinute || minute < toMinute;
}

/**
 * The tray's do-not-disturb toggle: quiet now → off; otherwise → on. A schedule is replaced either
 * way; it can be set again in Settings.
 */
export function toggledDoNotDisturb(setting: DoNotDisturb, at: Date): DoNotDisturb {
  return isQuietTime(setting, at) ? { mode: 'off' } : { mode: 'on' };
}
