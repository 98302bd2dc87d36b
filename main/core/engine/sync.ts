/**
 * Sync: one exchange with the portal per tick. A plain `im.notify.get` when nothing waits to go out,
 * or one `batch` of the pending answers, marks and dismissals followed by `im.notify.get`, so an
 * answer and the refresh that shows its effect cost a single request; then the further pages and
 * gaps (page-reader.ts). With the page reader, the only part of the engine that talks to the portal.
 */
import * as v from 'valibot';
import { accountKey } from '../accounts/keys';
import type { BatchCommand, PortalClient } from '../portal/client';
import type { Storage } from '../storage/storage';
import type { ActionQueue, Flush } from './action-queue';
import { GapSchema, PAGE_LIMIT, readPages, type FetchedPages, type Gap } from './page-reader';

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

export async function exchange(client: PortalClient, queue: ActionQueue, cursor: SyncCursor, nowMs: number, signal: AbortSignal): Promise<Exchange> {
  const flush = queue.takeFlush(REFRESH);
  let firstPage: unknown;
  let choresDeferred = false;
  if (!flush) {
    firstPage = (await client.call('im.notify.get', { LIMIT: PAGE_LIMIT }, { signal })).result;
  } else {
    let response;
    try {
      response = await client.batch(flush.commands, { signal });
    } catch (error) {
      queue.flushFailed(flush, error);
      throw error;
    }
    choresDeferred = queue.flushAnswered(flush, response).choresDeferred;
    if (response.errors.refresh) throw response.errors.refresh;
    firstPage = response.results.refresh;
  }
  const fetched = await readPages(firstPage, { client, highWaterMark: cursor.highWaterMark, gaps: cursor.gaps, nowMs, signal });
  return { fetched, flush, choresDeferred };
}
