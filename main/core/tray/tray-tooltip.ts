/**
 * The tray tooltip: a headline ("B24 Notify — 3 unread · synced 2 min. ago") and one line per
 * portal with a problem, capped at what Windows shows.
 */

/** Windows keeps 127 UTF-16 units of a tray tooltip (128 with the terminator) and cuts the rest. */
export const MAX_TOOLTIP_UNITS = 127;

/** English for now; one object so a translation can replace it. */
export const TOOLTIP_TEXT = {
  appName: 'B24 Notify',
  noPortals: 'no portals connected',
  unread: (badge: string) => `${badge} unread`,
  nothingUnread: 'no unread',
  offline: 'offline',
  paused: 'paused',
  doNotDisturb: 'do not disturb',
  synced: (relative: string) => `synced ${relative}`,
  notSynced: 'not synced yet',
  portalOffline: 'offline',
};

export interface PortalProblem {
  portalName: string;
  /** The portal's own explanation; undefined when the portal is just offline. */
  message: string | undefined;
}

export interface TooltipInput {
  portalCount: number;
  badge: string;
  offline: boolean;
  paused: boolean;
  doNotDisturb: boolean;
  oldestSyncAtMs: number | undefined;
  problems: PortalProblem[];
  nowMs: number;
  locale: string | undefined;
}

export function trayTooltip(input: TooltipInput): string {
  const text = TOOLTIP_TEXT;
  const facts =
    input.portalCount === 0
      ? [text.noPortals]
      : [
          input.badge ? text.unread(input.badge) : text.nothingUnread,
          ...(input.offline ? [text.offline] : []),
          ...(input.paused ? [text.paused] : []),
          ...(input.doNotDisturb ? [text.doNotDisturb] : []),
          input.oldestSyncAtMs === undefined ? text.notSynced : text.synced(relativeTime(input.oldestSyncAtMs, input.nowMs, input.locale)),
        ];
  const headline = `${text.appName} — ${facts.join(' · ')}`;
  const problemLines = input.problems.map((problem) => `${problem.portalName}: ${problem.message ?? text.portalOffline}`);
  return capLength([headline, ...problemLines].join('\n'), MAX_TOOLTIP_UNITS);
}

const RELATIVE_UNITS: readonly { unit: Intl.RelativeTimeFormatUnit; ms: number }[] = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
  { unit: 'second', ms: 1_000 },
];

/** "now", "42 sec. ago", "2 min. ago", "3 hr. ago", "yesterday": the largest whole unit. */
export function relativeTime(thenMs: number, nowMs: number, locale = 'en'): string {
  const elapsedMs = Math.max(0, nowMs - thenMs); // a clock step backwards must not read "in 2 min."
  const { unit, ms } = RELATIVE_UNITS.find((candidate) => elapsedMs >= candidate.ms) ?? { unit: 'second', ms: 1_000 };
  return relativeFormat(locale).format(-Math.floor(elapsedMs / ms), unit);
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  const options: Intl.RelativeTimeFormatOptions = { numeric: 'auto', style: 'short' };
  try {
    return new Intl.RelativeTimeFormat(locale, options);
  } catch {
    // A malformed locale tag must not break the tray.
    return new Intl.RelativeTimeFormat('en', options);
  }
}

/** Cuts to `maxUnits` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function capLength(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = maxUnits - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
