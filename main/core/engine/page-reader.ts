/**
 * The reading half of a sync: after the first page, further pages of `im.notify.get` while they hold
 * notifications never seen, and unread ranges ("gaps") left by earlier syncs. The only part of the
 * engine besides the flush (sync.ts) that calls the portal.
 */
import * as v from 'valibot';
import { parseNotifyPage, type NotifyPage, type PortalNotification } from '../notifications/model';
import type { PortalClient } from '../portal/client';
import { PortalError } from '../portal/errors';

export const PAGE_LIMIT = 50;
/** Pages one poll may read while catching up (e.g. after the app was closed for a while). */
export const MAX_PAGES_PER_POLL = 4;
/** Gaps kept at most; a portal this far behind gives up its oldest unread range. */
const MAX_GAPS = 8;
/** A LAST_ID above every id: with LAST_TYPE 3 the regular section is read from its newest item. */
const REGULAR_SECTION_TOP = Number.MAX_SAFE_INTEGER;

/**
 * Ranges of the regular section not read yet: ids strictly between `downToId` and `belowId` arrived
 * after the last complete read, but a poll could not read that far (more than its page budget of
 * news, or a later page failed). Later polls read them with their spare pages and announce them.
 */
export const GapSchema = v.object({ belowId: v.pipe(v.number(), v.integer(), v.minValue(1)), downToId: v.pipe(v.number(), v.integer(), v.minValue(0)) });
export type Gap = v.InferOutput<typeof GapSchema>;

export interface FetchedPages {
  items: PortalNotification[];
  skipped: number;
  totalUnread: number | undefined;
  /** The confirm section was read to its end. */
  confirmsComplete: boolean;
  /** Regular items with ids at or above this were all read (0: all of them). */
  regularCoveredFrom: number;
  /** Items read from earlier gaps this poll: announced if not seen before. */
  gapItemIds: Set<number>;
  /** A later page was refused until then (rate or operating limit). */
  retryAt: number | undefined;
  /** The unread ranges after this poll, newest first (the same array when unchanged). */
  gaps: Gap[];
  /** The time the pages were read at: no item is dated after it (model.ts clamps). */
  readAtMs: number;
}

/** A full read also tells the poll plan (poll-plan.ts) what the first page looked like. */
export interface PagesRead extends FetchedPages {
  /** `total_count` of the first page (the portal's count of stored notifications). */
  totalCount: number | undefined;
  /** The first page was a full page of confirms only: the confirm section goes on beyond it. */
  confirmsFillFirstPage: boolean;
  /** Items on the further confirm pages (LAST_TYPE 1) that could not be understood. */
  deepConfirmSkipped: number;
}

export interface ReadContext {
  client: PortalClient;
  highWaterMark: number | undefined;
  gaps: Gap[];
  nowMs: number;
  signal: AbortSignal;
}

/** Reads further pages only while they hold notifications we have never seen, and at most a few. */
export async function readPages(firstPage: unknown, context: ReadContext): Promise<PagesRead> {
  const { highWaterMark } = context;
  const pages = [parseNotifyPage(firstPage, context.nowMs)];
  const all = new Map<number, PortalNotification>();
  let rawCount = 0;
  const addPage = (page: NotifyPage): void => {
    for (const item of page.items) all.set(item.id, item);
    rawCount = page.items.length + page.skipped;
  };
  addPage(pages[0]!);
  let failure: PortalError | undefined;
  let confirmsSkipped = false;
  let deepConfirmSkipped = 0;
  const confirmsFillFirstPage = rawCount >= PAGE_LIMIT && pages[0]!.items.every((item) => item.kind === 'confirm');
  while (pages.length < MAX_PAGES_PER_POLL && rawCount >= PAGE_LIMIT) {
    const items = [...all.values()];
    const oldestRegular = Math.min(...items.filter((i) => i.kind !== 'confirm').map((i) => i.id));
    const reachedKnown = highWaterMark === undefined || oldestRegular <= highWaterMark;
    if (reachedKnown && items.some((i) => i.kind !== 'confirm')) break;
    const last = pages[pages.length - 1]!.items.at(-1);
    if (!last) break;
    // More open confirms than the page budget holds: the last page reads the newest regular items
    // instead (LAST_TYPE 3 from the top), so news behind a wall of confirms still arrives.
    const jump = pages.length === MAX_PAGES_PER_POLL - 1 && last.kind === 'confirm' && !items.some((i) => i.kind !== 'confirm');
    if (jump) confirmsSkipped = true;
    const lastType = jump || last.kind !== 'confirm' ? 3 : 1;
    const page = await nextPage(context, jump ? REGULAR_SECTION_TOP : last.id, lastType);
    // A later page that fails keeps what the first ones brought; the rest becomes a gap.
    if (page instanceof PortalError) {
      failure = page;
      break;
    }
    pages.push(page);
    addPage(page);
    if (lastType === 1) deepConfirmSkipped += page.skipped;
  }
  const items = [...all.values()];
  const regular = items.filter((item) => item.kind !== 'confirm');
  const endReached = rawCount < PAGE_LIMIT && !failure;
  const oldestRegular = regular.length > 0 ? Math.min(...regular.map((i) => i.id)) : undefined;

  let gaps = context.gaps;
  // News older than what this poll could read, but newer than what was read before.
  if (!endReached && highWaterMark !== undefined && oldestRegular !== undefined && oldestRegular > highWaterMark + 1) {
    gaps = [{ belowId: oldestRegular, downToId: highWaterMark }, ...gaps].slice(0, MAX_GAPS);
  }
  // A portal that just refused a page is not asked for more in this poll.
  const found = await readOldGaps(context, all, gaps, failure ? 0 : MAX_PAGES_PER_POLL - pages.length);
  const gapItemIds = found.gapItemIds;
  gaps = found.gaps;
  return {
    items: [...all.values()],
    skipped: pages.reduce((sum, page) => sum + page.skipped, 0),
    totalUnread: pages[0]!.totalUnread,
    // Reaching the regular section by reading on means every confirm was read; jumping there does not.
    confirmsComplete: !confirmsSkipped && (endReached || regular.length > 0),
    regularCoveredFrom: endReached ? 0 : (oldestRegular ?? Number.MAX_SAFE_INTEGER),
    gapItemIds,
    gaps,
    retryAt: failure?.retryAt,
    readAtMs: context.nowMs,
    totalCount: pages[0]!.totalCount,
    confirmsFillFirstPage,
    deepConfirmSkipped,
  };
}

/** One more page of the list, or the portal's refusal of it (the poll keeps what it has). */
async function nextPage(context: ReadContext, lastId: number, lastType: 1 | 3): Promise<NotifyPage | PortalError> {
  try {
    const result = (await context.client.call('im.notify.get', { LIMIT: PAGE_LIMIT, LAST_ID: lastId, LAST_TYPE: lastType }, { signal: context.signal })).result;
    return parseNotifyPage(result, context.nowMs);
  } catch (error) {
    if (context.signal.aborted || !(error instanceof PortalError)) throw error;
    return error;
  }
}

/**
 * What a read brought from inside the unread ranges left by earlier polls counts as found there
 * (announced if never seen); then `pageBudget` more pages read on in those ranges. Adds what they
 * hold to `all`.
 */
export async function readOldGaps(
  context: ReadContext,
  all: Map<number, PortalNotification>,
  gaps: Gap[],
  pageBudget: number,
): Promise<{ gapItemIds: Set<number>; gaps: Gap[] }> {
  const inOldGap = (id: number): boolean => context.gaps.some((gap) => id < gap.belowId && id > gap.downToId);
  const gapItemIds = new Set([...all.values()].filter((item) => item.kind !== 'confirm' && inOldGap(item.id)).map((item) => item.id));
  const remaining = await readGaps(context, gaps, pageBudget, (item) => {
    if (all.has(item.id)) return;
    all.set(item.id, item);
    gapItemIds.add(item.id);
  });
  return { gapItemIds, gaps: remaining };
}

/** Reads unread ranges, newest first, with `pageBudget` pages; returns the ranges still unread. */
async function readGaps(context: ReadContext, gaps: Gap[], pageBudget: number, found: (item: PortalNotification) => void): Promise<Gap[]> {
  if (gaps.length === 0 || pageBudget <= 0) return gaps;
  const remaining = [...gaps];
  let budget = pageBudget;
  while (budget > 0 && remaining.length > 0) {
    const gap = remaining[0]!;
    budget -= 1;
    const page = await nextPage(context, gap.belowId, 3);
    if (page instanceof PortalError) break;
    const inGap = page.items.filter((item) => item.kind !== 'confirm' && item.id < gap.belowId && item.id > gap.downToId);
    inGap.forEach(found);
    const lowest = Math.min(...page.items.filter((item) => item.kind !== 'confirm').map((item) => item.id));
    // A page that does not go below the gap's top (a portal ignoring LAST_ID) ends it too: never loop.
    const closed = page.items.length + page.skipped < PAGE_LIMIT || !Number.isFinite(lowest) || lowest <= gap.downToId + 1 || lowest >= gap.belowId;
    if (closed) remaining.shift();
    else remaining[0] = { ...gap, belowId: lowest };
  }
  return remaining;
}
