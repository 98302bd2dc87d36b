/**
 * How much of the portal's list a poll reads when more confirms are open than one page holds.
 *
 * `im.notify.get` lists every open confirm before any other notification, newest first
 * (bitrix24-notify-api §2.1). With 200 open confirms a full read costs four requests per poll, and
 * three of them re-read confirms that cannot have changed: a confirm never changes, it only leaves
 * (answered: `im.notify.confirm` deletes it; or deleted, §1.3), and a new one comes first on page
 * one. Every add raises `total_count` and every delete recomputes it (MOD
 * `im/classes/general/im_notify.php:1041-1053`, api §2.1). So while `total_count` is what the
 * items we saw arrive explain, a poll asks, in one request, for the newest few confirms and the
 * newest regular items, and leaves the deeper confirms alone. It reads everything again when the count
 * moves unexplained, when an answer of ours waits to be verified, and at least every
 * FULL_READ_EVERY_MS.
 */
import type { BatchCommand } from '../portal/client';
import { MAX_PAGES_PER_POLL, PAGE_LIMIT, readOldGaps, type FetchedPages, type PagesRead, type ReadContext } from './page-reader';
import { parseNotifyPage } from '../notifications/model';

/**
 * A full read at least this often: a count that moved and moved back between two polls, or a
 * portal's cleanup that leaves the count alone, keeps a gone confirm on show no longer than this.
 */
export const FULL_READ_EVERY_MS = 10 * 60_000;

/**
 * A quick poll's first page: a new confirm comes first (newest first, api §2.1), and more new ones
 * than this raise the count beyond what the page explains, so the poll reads everything.
 */
export const QUICK_FIRST_LIMIT = 5;
export const QUICK_FIRST: BatchCommand = { method: 'im.notify.get', params: { LIMIT: QUICK_FIRST_LIMIT } };

/** The newest regular (non-confirm) notifications: LAST_TYPE 3 from above every id (api §2.1). */
export const REGULAR_TOP: BatchCommand = { method: 'im.notify.get', params: { LIMIT: PAGE_LIMIT, LAST_ID: Number.MAX_SAFE_INTEGER, LAST_TYPE: 3 } };

export class PollPlan {
  /** The portal's `total_count` that what we have seen explains; undefined: read everything. */
  #expectedTotal: number | undefined;
  #lastFullAtMs = 0;
  /** Items the deeper confirm pages held that could not be understood (they do not change either). */
  #deepConfirmSkipped = 0;

  /** Whether the next poll may read only the newest few confirms and the regular top. */
  quick(context: { outboxEmpty: boolean; highWaterMark: number | undefined; nowMs: number }): boolean {
    return (
      this.#expectedTotal !== undefined &&
      context.nowMs - this.#lastFullAtMs < FULL_READ_EVERY_MS &&
      context.outboxEmpty &&
      context.highWaterMark !== undefined
    );
  }

  /**
   * What a quick read saw, with its spare pages spent on unread ranges; undefined when it cannot
   * stand for a full read (the caller then reads on from the first page as usual).
   */
  async readQuick(firstPage: unknown, regularTop: unknown, context: ReadContext & { highWaterMark: number }): Promise<FetchedPages | undefined> {
    const { highWaterMark, nowMs } = context;
    const first = parseNotifyPage(firstPage, nowMs);
    const top = parseNotifyPage(regularTop, nowMs);
    if (first.items.some((item) => item.kind !== 'confirm') || first.items.length + first.skipped < QUICK_FIRST_LIMIT) return undefined;
    if (top.items.some((item) => item.kind === 'confirm')) return undefined;
    const all = new Map([...first.items, ...top.items].map((item) => [item.id, item]));
    const arrived = [...all.keys()].filter((id) => id > highWaterMark).length;
    const topComplete = top.items.length + top.skipped < PAGE_LIMIT;
    const oldestRegular = top.items.length > 0 ? Math.min(...top.items.map((item) => item.id)) : undefined;
    // More news than the regular top holds: the full read keeps track of the new unread range.
    if (!topComplete && oldestRegular !== undefined && oldestRegular > highWaterMark + 1) return undefined;
    if (first.totalCount !== this.#expectedTotal! + arrived) return undefined;
    this.#expectedTotal = first.totalCount;
    const found = await readOldGaps(context, all, context.gaps, MAX_PAGES_PER_POLL - 2);
    return {
      items: [...all.values()],
      skipped: first.skipped + top.skipped + this.#deepConfirmSkipped,
      totalUnread: first.totalUnread,
      confirmsComplete: false,
      regularCoveredFrom: topComplete ? 0 : (oldestRegular ?? Number.MAX_SAFE_INTEGER),
      gapItemIds: found.gapItemIds,
      retryAt: undefined,
      gaps: found.gaps,
      readAtMs: nowMs,
    };
  }

  /** A full read: whether the confirms fill the first page, and the count it explains. */
  recordFull(read: PagesRead): void {
    this.#lastFullAtMs = read.readAtMs;
    this.#deepConfirmSkipped = read.deepConfirmSkipped;
    // Fewer confirms than a page: a full read is one request anyway. Cut short: it explains no count.
    this.#expectedTotal = read.confirmsFillFirstPage && read.retryAt === undefined ? read.totalCount : undefined;
  }
}
