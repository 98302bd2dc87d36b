/**
 * Sync: one exchange with the portal per tick. A plain `im.notify.get` when nothing waits to go out,
 * or one `batch` of the pending answers, marks and dismissals followed by `im.notify.get`, so an
 * answer and the refresh that shows its effect cost a single request; then the further pages and
 * gaps (page-reader.ts), or, while the poll plan allows, the regular top in the same batch instead
 * (poll-plan.ts). With the page reader, the only part of the engine that talks to the portal.
 */
import * as v from 'valibot';
import { accountKey } from '../accounts/keys';
import type { BatchCommand, PortalClient } from '../portal/client';
import type { Storage } from '../storage/storage';
import type { ActionQueue, Flush } from './action-queue';
import { GapSchema, PAGE_LIMIT, readPages, type FetchedPages, type Gap } from './page-reader';
import { QUICK_FIRST, REGULAR_TOP, type PollPlan } from './poll-plan';

const HighWaterMarkSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const GapListSchema = v.array(GapSchema);

/** How far the portal's list has been read: the newest id seen and the ranges still unread. */
export class SyncCursor {
  readonly #storage: Storage;
  readonly #hwmKey: string;
  readonly #gapsKey: string;
  #highWaterMark: number | undefined;
  #gaps: Gap[];

  constructor(storage: Storage, accountId: string) {
    this.#storage = storage;
    this.#hwmKey = accountKey(accountId, 'highWaterMark');
    this.#gapsKey = accountKey(accountId, 'catchUp');
    this.#highWaterMark = storage.read(this.#hwmKey, HighWaterMarkSchema);
    this.#gaps = storage.read(this.#gapsKey, GapListSchema) ?? [];
  }

  get highWaterMark(): number | undefined {
    return this.#highWaterMark;
  }

  get gaps(): Gap[] {
    return this.#gaps;
  }

  /**
   * Persist before announcing: a crash in between can lose a popup, never show one twice. The
   * unread ranges go first: a crash between the two writes then re-reads a range, never skips it.
   * Nothing is written when nothing moved (an idle poll).
   */
  advance(gaps: Gap[], highWaterMark: number | undefined): void {
    if (gaps !== this.#gaps) {
      this.#storage.write(this.#gapsKey, GapListSchema, gaps);
      this.#gaps = gaps;
    }
    if (highWaterMark !== undefined && highWaterMark !== this.#highWaterMark) {
      this.#storage.write(this.#hwmKey, HighWaterMarkSchema, highWaterMark);
      this.#highWaterMark = highWaterMark;
    }
  }
}

export interface Exchange {
  fetched: FetchedPages;
  /** What went out with the refresh, to tell afterwards whether the portal put any of it off. */
  flush: Flush | undefined;
  choresDeferred: boolean;
}

const REFRESH: BatchCommand = { method: 'im.notify.get', params: { LIMIT: PAGE_LIMIT } };

export async function exchange(client: PortalClient, queue: ActionQueue, cursor: SyncCursor, plan: PollPlan, nowMs: number, signal: AbortSignal): Promise<Exchange> {
  const highWaterMark = cursor.highWaterMark;
  const quick = plan.quick({ outboxEmpty: queue.entries.length === 0, highWaterMark, nowMs });
  const flush = queue.takeFlush(quick ? QUICK_FIRST : REFRESH);
  let firstPage: unknown;
  let regularTop: unknown;
  let choresDeferred = false;
  if (!flush && !quick) {
    firstPage = (await client.call('im.notify.get', { LIMIT: PAGE_LIMIT }, { signal })).result;
  } else {
    const commands: Record<string, BatchCommand> = { ...(flush?.commands ?? { refresh: QUICK_FIRST }), ...(quick ? { regularTop: REGULAR_TOP } : {}) };
    let response;
    try {
      response = await client.batch(commands, { signal });
    } catch (error) {
      if (flush) queue.flushFailed(flush, error);
      throw error;
    }
    if (flush) choresDeferred = queue.flushAnswered(flush, response).choresDeferred;
    if (response.errors.refresh) throw response.errors.refresh;
    firstPage = response.results.refresh;
    if (quick && !response.errors.regularTop) regularTop = response.results.regularTop;
  }
  const context = { client, highWaterMark, gaps: cursor.gaps, nowMs, signal };
  const quickRead = regularTop !== undefined && highWaterMark !== undefined ? await plan.readQuick(firstPage, regularTop, { ...context, highWaterMark }) : undefined;
  if (quickRead) return { fetched: quickRead, flush, choresDeferred };
  // The quick poll's short first page cannot start a full read: the full first page can.
  if (quick) firstPage = (await client.call('im.notify.get', { LIMIT: PAGE_LIMIT }, { signal })).result;
  const fetched = await readPages(firstPage, context);
  plan.recordFull(fetched);
  return { fetched, flush, choresDeferred };
}
