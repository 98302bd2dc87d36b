/** The window's view of all portals: one list, confirms first, then the rest, newest first. */
import { relativeFormatFor } from './intl-cache';
import type { HubSnapshot } from '../../../main/core/app/hub';
import { compareInbox, type InboxItem } from '../../../main/core/engine/state';

export interface InboxEntry {
  key: string;
  accountId: string;
  portalName: string;
  portalOrigin: string;
  item: InboxItem;
}

export function mergeInbox(snapshot: HubSnapshot): InboxEntry[] {
  const entries = snapshot.accounts.flatMap((account) =>
    account.state.inbox.map((item) => ({
      key: `${account.accountId}:${item.id}`,
      accountId: account.accountId,
      portalName: account.name,
      portalOrigin: account.state.portalOrigin,
      item,
    })),
  );
  // The same order as each portal's inbox, across portals.
  return entries.sort((a, b) => compareInbox(a.item, b.item));
}

export function relativeTime(thenMs: number, nowMs: number, locale?: string): string {
  const seconds = Math.round((thenMs - nowMs) / 1000);
  const format = relativeFormatFor(locale);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(0, 'second');
}

/** Avatars load only from the portal's own host; anything else gets the initials. */
export function safeAvatar(url: string | undefined, portalOrigin: string): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, portalOrigin);
    return parsed.protocol === 'https:' && parsed.host === new URL(portalOrigin).host ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => Array.from(word)[0]?.toUpperCase() ?? '')
    .join('');
}

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Black or white text on an author's colour, whichever contrasts more: one of the two always
 * reaches at least 4.58:1, so initials stay readable on any colour a portal picks.
 */
export function readableTextOn(hex: string): '#000' | '#fff' {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return '#fff';
  const luminance = relativeLuminance(hex);
  return (1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#fff' : '#000');
}
