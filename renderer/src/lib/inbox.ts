/** The window's view of all portals: one list, confirms first, then the rest, newest first. */
import { relativeFormatFor } from './intl-cache';
import type { HubSnapshot } from '../../../main/core/app/hub';
import { compareInbox, type InboxItem } from '../../../main/core/engine/state';
import { isBitrix24CdnHost } from '../../../main/shared/bitrix24-cdn';

export interface InboxEntry {
  key: string;
  accountId: string;
  portalName: string;
  /** The portal's label colour, "#rrggbb". */
  portalColor: string;
  portalOrigin: string;
  item: InboxItem;
  /** Snoozed until then (epoch ms; core/app/snoozes.ts); absent when not snoozed. */
  snoozedUntilMs?: number;
}

const DEFAULT_PORTAL_COLOR = '#2f80ed';

/** Every portal's items in one list; only `accountId`'s when a filter is set. */
export function mergeInbox(snapshot: HubSnapshot, accountId?: string): InboxEntry[] {
  const accounts = accountId ? snapshot.accounts.filter((account) => account.accountId === accountId) : snapshot.accounts;
  const entries = accounts.flatMap((account) =>
    account.state.inbox.map((item) => ({
      key: `${account.accountId}:${item.id}`,
      accountId: account.accountId,
      portalName: account.name,
      portalColor: account.color ?? DEFAULT_PORTAL_COLOR,
      portalOrigin: account.state.portalOrigin,
      item,
      ...(account.snoozed?.[item.id] !== undefined ? { snoozedUntilMs: account.snoozed[item.id] } : {}),
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

/**
 * Avatars load over https only from the portal's own host or Bitrix24's CDN (cloud portals keep
 * them there, real-portal-notes §1), with no credentials in the address; anything else gets the
 * initials. The <img> sends no referrer, and the window's session holds no portal cookies.
 */
/**
 * What an avatar's <img> may load: a Bitrix24 CDN address over https as it is; one on the portal's
 * own host only as the data: URL main fetched for it (`fetched`, core/app/avatar-store.ts), since
 * the window's CSP names no other host; nothing else.
 */
export function safeAvatar(url: string | undefined, portalOrigin: string, fetched: Readonly<Record<string, string>> = {}): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, portalOrigin);
    if (parsed.username !== '' || parsed.password !== '') return undefined;
    if (parsed.protocol === 'https:' && parsed.port === '' && isBitrix24CdnHost(parsed.hostname)) return parsed.href;
    return parsed.origin === new URL(portalOrigin).origin ? fetched[parsed.href] : undefined;
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

/** A confirm still waiting for the person: not yet answered (an answered one shows its result), nor snoozed. */
export function needsAnswer(entry: InboxEntry): boolean {
  return entry.item.kind === 'confirm' && entry.item.action?.status !== 'done' && entry.snoozedUntilMs === undefined;
}

/** The window's three sections: what needs an answer, the rest, and what is snoozed (soonest to wake first). */
export function inboxSections(entries: readonly InboxEntry[]): { confirms: InboxEntry[]; others: InboxEntry[]; snoozed: InboxEntry[] } {
  const confirms: InboxEntry[] = [];
  const others: InboxEntry[] = [];
  const snoozed: InboxEntry[] = [];
  for (const entry of entries) (entry.snoozedUntilMs !== undefined ? snoozed : needsAnswer(entry) ? confirms : others).push(entry);
  snoozed.sort((a, b) => (a.snoozedUntilMs ?? 0) - (b.snoozedUntilMs ?? 0));
  return { confirms, others, snoozed };
}

/** The label of the button whose value was sent, for "You chose …"; undefined when unknown. */
export function chosenLabel(item: InboxItem): string | undefined {
  const value = item.action?.value;
  return value === undefined ? undefined : item.buttons.find((button) => button.value === value)?.label;
}

/** One row of the window's list: a section heading, or an item with its place among all items. */
export type InboxRow =
  | { kind: 'heading'; key: string; section: 'needsAnswer' | 'notifications' | 'snoozed' }
  | { kind: 'entry'; key: string; entry: InboxEntry; position: number };

/** "Needs your answer" and its confirms, then "Notifications" and the rest, then "Snoozed"; positions count items only, from 1. */
export function inboxRows(confirms: readonly InboxEntry[], others: readonly InboxEntry[], snoozed: readonly InboxEntry[] = []): InboxRow[] {
  const rows: InboxRow[] = [];
  let position = 0;
  const section = (name: 'needsAnswer' | 'notifications' | 'snoozed', entries: readonly InboxEntry[]): void => {
    if (entries.length > 0) rows.push({ kind: 'heading', key: `heading:${name}`, section: name });
    for (const entry of entries) rows.push({ kind: 'entry', key: entry.key, entry, position: (position += 1) });
  };
  section('needsAnswer', confirms);
  section('notifications', others);
  section('snoozed', snoozed);
  return rows;
}

// Row heights in the tray window (380 px wide, system-ui), fitted to 5,000 varied items drawn in
// Chromium on Linux (mean error under 1 px there). Only the first guess: drawn rows are measured.
const HEADING_PX = 26;
/** Padding, border and the title line. */
const ITEM_BASE_PX = 37;
const TITLE_CHARS_PER_LINE = 34;
const TITLE_LINE_PX = 17;
const TEXT_CHARS_PER_LINE = 44;
const TEXT_LINE_PX = 16;
const PORTAL_LINE_PX = 15;
const BUTTONS_PX = 35;
const CONFIRM_RESULT_PX = 47;
const TOOLS_PX = 22;
const REPLY_BUTTON_PX = 33;
const REPLY_RESULT_PX = 36;

/**
 * Lines of text a notification takes, from its BBCode with the tags dropped: the raw string, not
 * the rendered nodes, because thousands of estimates must cost next to nothing.
 */
function textLines(bbcode: string): number {
  let lines = 0;
  for (const paragraph of bbcode.split(/\[br\]|#br#|\n/i)) lines += Math.max(1, Math.ceil(paragraph.replace(/\[[^\]]*\]/g, '').length / TEXT_CHARS_PER_LINE));
  return lines;
}

/**
 * A row's height before it is drawn, from what it will show. Close guesses keep the scrollbar
 * honest and jumps far down the list short; the virtual list measures every row it draws.
 */
export function estimateRowHeightPx(row: InboxRow, showPortal: boolean): number {
  if (row.kind === 'heading') return HEADING_PX;
  const item = row.entry.item;
  // Without a title the author's name stands in, which fits one line.
  let heightPx = ITEM_BASE_PX + (Math.max(1, Math.ceil(item.title.length / TITLE_CHARS_PER_LINE)) - 1) * TITLE_LINE_PX + textLines(item.text) * TEXT_LINE_PX;
  if (showPortal) heightPx += PORTAL_LINE_PX;
  const done = item.action?.status === 'done';
  if (item.kind === 'confirm') heightPx += done ? CONFIRM_RESULT_PX : BUTTONS_PX;
  else heightPx += TOOLS_PX + (item.canAnswer ? REPLY_BUTTON_PX + (done ? REPLY_RESULT_PX : 0) : 0);
  return heightPx;
}
