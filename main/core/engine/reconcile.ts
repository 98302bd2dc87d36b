/**
 * Reconcile: a pure function from what the engine knew and what one sync read from the portal to
 * what changes — items put, items gone, items to announce, answers settled or to be sent again.
 * No I/O, no clock, no events: the engine applies the result. Property-tested against a simple
 * reference model in test/engine/reconcile.property.test.ts.
 */
import type { PortalNotification } from '../notifications/model';
import type { RichNode } from '../text/bbcode';
import type { OutboxEntry } from './outbox';
import type { FetchedPages } from './page-reader';
import { compareInbox, type ActionState, type InboxItem } from './state';

/** How long an answered confirm stays visible with the portal's answer after it left the portal. */
export const RESULT_VISIBLE_MS = 5 * 60_000;

export type ActionOutcome = Extract<ActionState, { status: 'done' | 'failed' }>;

/** Marks and dismissals waiting for the next exchange (they win over what the portal says). */
export interface Chores {
  readIds: Set<number>;
  readAll: boolean;
  deleteIds: Set<number>;
}

export interface KnownState {
  inbox: ReadonlyMap<number, InboxItem>;
  /** The newest id ever read; undefined before the first complete read (nothing is announced then). */
  highWaterMark: number | undefined;
  /** When each answered item's outcome was recorded. */
  settledAt: ReadonlyMap<number, number>;
  outbox: readonly OutboxEntry[];
  chores: Readonly<Chores>;
  maxInboxItems: number;
}

export type OutboxDecision =
  /** A confirm of unknown fate is still on the portal: it was never acted on, send it again. */
  | { entry: OutboxEntry; resend: true }
  /** The item left the portal while its answer was held: the answer is settled. */
  | { entry: OutboxEntry; outcome: ActionOutcome };

export interface Reconciled {
  /** New or changed items (the rest of the inbox is untouched). */
  put: InboxItem[];
  /** Items that left the portal: close their popups. */
  removed: number[];
  /** Items dropped only to keep the inbox within its cap (still on the portal). */
  trimmed: number[];
  /** Never seen before: show them, newest first within the inbox order. */
  announce: InboxItem[];
  decisions: OutboxDecision[];
  highWaterMark: number | undefined;
}

export function reconcile(known: KnownState, fetched: FetchedPages, nowMs: number, render: (text: string) => RichNode[]): Reconciled {
  const fetchedIds = new Set(fetched.items.map((item) => item.id));
  const minConfirmSeen = Math.min(...fetched.items.filter((i) => i.kind === 'confirm').map((i) => i.id));
  // Whether this read went far enough to know that an item missing from it is gone from the portal.
  const covered = (id: number, isConfirm: boolean): boolean => (isConfirm ? fetched.confirmsComplete || id > minConfirmSeen : id >= fetched.regularCoveredFrom);

  const put = new Map<number, InboxItem>();
  const current = (id: number): InboxItem | undefined => put.get(id) ?? known.inbox.get(id);
  const settledNow = new Set<number>();

  // Outbox first (after a restart the inbox is empty, but the outbox is not).
  const decisions: OutboxDecision[] = [];
  for (const entry of known.outbox) {
    if (fetchedIds.has(entry.notificationId)) {
      if (entry.kind === 'confirm' && entry.phase === 'sent') decisions.push({ entry, resend: true });
      continue;
    }
    const item = known.inbox.get(entry.notificationId);
    if (!covered(entry.notificationId, item ? item.kind === 'confirm' : entry.kind === 'confirm')) continue;
    // Gone with our confirm sent: it went through and we missed the reply. Otherwise it went elsewhere.
    const gone = !(entry.kind === 'confirm' && entry.phase === 'sent');
    const outcome: ActionOutcome = { status: 'done', kind: entry.kind, value: entry.value, resultMessages: [], gone };
    decisions.push({ entry, outcome });
    settledNow.add(entry.notificationId);
    if (item) put.set(item.id, { ...item, action: outcome });
  }

  const removed: number[] = [];
  // Every poll walks the whole inbox (2,000 items by default): ids below both covered ranges are
  // passed over without touching their items (an idle poll covers the newest few dozen).
  const lowestCovered = fetched.confirmsComplete ? Number.NEGATIVE_INFINITY : Math.min(minConfirmSeen + 1, fetched.regularCoveredFrom);
  for (const id of known.inbox.keys()) {
    if (id < lowestCovered || fetchedIds.has(id)) continue;
    const item = known.inbox.get(id)!;
    if (!covered(id, item.kind === 'confirm')) continue;
    const settledAt = settledNow.has(id) ? nowMs : known.settledAt.get(id);
    // An item just answered stays a while, showing the portal's answer.
    if (settledAt !== undefined && nowMs - settledAt < RESULT_VISIBLE_MS && current(id)?.action?.status === 'done') continue;
    put.delete(id);
    removed.push(id);
  }

  const announce: InboxItem[] = [];
  for (const fetchedItem of fetched.items) {
    // A dismissal or mark still waiting to reach the portal wins over what the portal said.
    if (known.chores.deleteIds.has(fetchedItem.id)) continue;
    const previous = current(fetchedItem.id);
    const markedRead = known.chores.readIds.has(fetchedItem.id) || (known.chores.readAll && fetchedItem.kind !== 'confirm');
    // Dated after the read (a portal clock ahead of ours) it was clamped to the read time: it keeps
    // the time it was first seen at, or every poll would change it.
    const clamped = previous !== undefined && fetchedItem.dateMs === fetched.readAtMs && previous.dateMs < fetchedItem.dateMs;
    const item = (markedRead && !fetchedItem.read) || clamped ? { ...fetchedItem, read: fetchedItem.read || markedRead, ...(clamped ? { dateMs: previous.dateMs } : {}) } : fetchedItem;
    const isNew = previous === undefined;
    if (previous === undefined || !samePortalFields(previous, item)) {
      // Rendering is the costly part of an item: reuse it while the text is unchanged.
      const rich = previous && previous.text === item.text ? previous.rich : render(item.text);
      put.set(item.id, { ...item, action: previous?.action, rich });
    }
    const unseen = (known.highWaterMark !== undefined && item.id > known.highWaterMark) || (fetched.gapItemIds.has(item.id) && isNew);
    if (unseen) announce.push(current(item.id)!);
  }

  // An answer still held shows as sending on its item (e.g. after a restart, once the item is read).
  const removedSet = new Set(removed);
  const settledEntries = new Set(decisions.flatMap((d) => ('outcome' in d ? [d.entry] : [])));
  for (const entry of known.outbox) {
    if (settledEntries.has(entry)) continue;
    const item = removedSet.has(entry.notificationId) ? undefined : current(entry.notificationId);
    if (item && !item.action) put.set(item.id, { ...item, action: { status: 'sending', kind: entry.kind, value: entry.value } });
  }

  const trimmed = trimToCap(known, put, removedSet);
  for (const id of trimmed) put.delete(id);

  const maxFetchedId = Math.max(0, ...fetchedIds);
  const highWaterMark = known.highWaterMark === undefined || maxFetchedId > known.highWaterMark ? Math.max(known.highWaterMark ?? 0, maxFetchedId) : known.highWaterMark;
  return {
    put: [...put.values()],
    removed,
    trimmed,
    // Announced even if the cap trims them at once (a burst larger than the inbox): each id once.
    announce: announce.sort(compareInbox),
    decisions,
    highWaterMark,
  };
}

/** The oldest non-confirms beyond the cap, after the changes above (confirms always stay). */
function trimToCap(known: KnownState, put: ReadonlyMap<number, InboxItem>, removed: ReadonlySet<number>): number[] {
  let size = known.inbox.size - removed.size;
  for (const id of put.keys()) if (!known.inbox.has(id)) size += 1;
  if (size <= known.maxInboxItems) return [];
  const all = new Map(known.inbox);
  for (const id of removed) all.delete(id);
  for (const [id, item] of put) all.set(id, item);
  const oldestFirst = [...all.values()].filter((item) => item.kind !== 'confirm').sort((a, b) => compareInbox(b, a));
  return oldestFirst.slice(0, size - known.maxInboxItems).map((item) => item.id);
}

/** Whether the portal sent exactly what the inbox item already shows (an idle poll changes nothing). */
function samePortalFields(previous: InboxItem, next: PortalNotification): boolean {
  // The inbox item is the portal's item plus `action` and `rich`: same keys otherwise, same values.
  // A key holding undefined counts as absent, on either side.
  let previousKeys = 0;
  for (const key in previous) if (key !== 'action' && key !== 'rich' && previous[key as keyof InboxItem] !== undefined) previousKeys += 1;
  let nextKeys = 0;
  for (const key in next) {
    if (key === 'action' || key === 'rich') continue;
    const value = next[key as keyof PortalNotification];
    if (value !== undefined) nextKeys += 1;
    if (!sameValue(previous[key as keyof PortalNotification], value)) return false;
  }
  return previousKeys === nextKeys;
}

/** Structural equality of plain data (author, buttons): no JSON round trip on every idle poll. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
