/**
 * Do-not-disturb: off, on, or a daily quiet period in local time that may wrap past midnight
 * (22:00–07:00). Quiet means no popups and no sound; items still reach the inbox and the count.
 */
import * as v from 'valibot';

const MinuteOfDay = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 60 - 1));

export const DoNotDisturbSchema = v.variant('mode', [
  v.object({ mode: v.literal('off') }),
  v.object({ mode: v.literal('on') }),
  v.object({ mode: v.literal('schedule'), fromMinute: MinuteOfDay, toMinute: MinuteOfDay }),
]);
export type DoNotDisturb = v.InferOutput<typeof DoNotDisturbSchema>;

export const DEFAULT_DO_NOT_DISTURB: DoNotDisturb = { mode: 'off' };

export function isQuietTime(setting: DoNotDisturb, at: Date): boolean {
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
