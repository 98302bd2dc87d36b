/**
 * Unread ranges ("gaps") left by earlier polls (main/core/engine/page-reader.ts): what a poll reads
 * of them with the pages it has left, what it announces as found there, and when a range counts as
 * read. The portal follows bitrix24-notify-api §2.1 (LAST_TYPE 3 reads regular items with
 * id < LAST_ID, newest first), or ignores the cursor altogether, which the reader must survive.
 */
import { describe, expect, it } from 'vitest';
import { readOldGaps, readPages, type Gap, type PagesRead } from '../../main/core/engine/page-reader';
import { SyncCursor } from '../../main/core/engine/sync';
import type { PortalNotification } from '../../main/core/notifications/model';
import { MemoryBackend, Storage } from '../../main/core/storage/storage';
import { ids, NotifyListPortal } from './notify-list-portal';

const NOW = 1_700_000_000_000;

function read(portal: NotifyListPortal, highWaterMark: number | undefined, gaps: Gap[]): Promise<PagesRead> {
  return readPages(portal.firstPage(), { client: portal.client, highWaterMark, gaps, nowMs: NOW, signal: new AbortController().signal });
}

const sorted = (set: Set<number>): number[] => [...set].sort((a, b) => b - a);

describe('notifications of an earlier unread range', () => {
  it('are announced as found there when this poll read them anyway; confirms and ids outside it are not', async () => {
    // 20 < id < 50 was left unread. Confirm 30 is read in every full read anyway (confirms first).
    const portal = new NotifyListPortal({ confirms: [30], regular: ids(1, 60).filter((id) => id !== 30) });
    const result = await read(portal, 60, [{ belowId: 50, downToId: 20 }]);
    expect(sorted(result.gapItemIds)).toEqual(ids(21, 49).filter((id) => id !== 30));
    // The range's own read then finds nothing it did not have, and closes it (a short page).
    expect(portal.requests).toEqual([{ lastId: 50, lastType: 3 }]);
    expect(result.gaps).toEqual([]);
  });

  it('are read with the pages the poll has left, newest first, and the rest stays for a later poll', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 300) });
    const result = await read(portal, 300, [{ belowId: 200, downToId: 20 }]);
    expect(portal.requests).toEqual([
      { lastId: 200, lastType: 3 },
      { lastId: 150, lastType: 3 },
      { lastId: 100, lastType: 3 },
    ]);
    expect(sorted(result.gapItemIds)).toEqual(ids(50, 199));
    expect(result.gaps).toEqual([{ belowId: 50, downToId: 20 }]);
  });

  it('close a range on a page reaching below it; what lies below was known before and is not announced', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 300) });
    const result = await read(portal, 300, [{ belowId: 60, downToId: 20 }]);
    expect(portal.requests).toEqual([{ lastId: 60, lastType: 3 }]);
    expect(sorted(result.gapItemIds)).toEqual(ids(21, 59));
    expect(result.gaps).toEqual([]);
  });

  it('close a range on a full page ending right at its bottom, without asking for another', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 300) });
    const result = await read(portal, 300, [{ belowId: 71, downToId: 20 }]);
    expect(portal.requests).toEqual([{ lastId: 71, lastType: 3 }]);
    expect(sorted(result.gapItemIds)).toEqual(ids(21, 70));
    expect(result.gaps).toEqual([]);
  });

  it('close a range on a short page, even when the ids above its bottom were deleted', async () => {
    const portal = new NotifyListPortal({ regular: ids(31, 300) });
    const result = await read(portal, 300, [{ belowId: 80, downToId: 10 }]);
    expect(portal.requests).toEqual([{ lastId: 80, lastType: 3 }]);
    expect(sorted(result.gapItemIds)).toEqual(ids(31, 79));
    expect(result.gaps).toEqual([]);
  });

  it('are read on past items the app cannot understand: those still fill the page', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 300), unreadable: [170, 180] });
    const result = await read(portal, 300, [{ belowId: 200, downToId: 20 }]);
    expect(portal.requests).toEqual([
      { lastId: 200, lastType: 3 },
      { lastId: 150, lastType: 3 },
      { lastId: 100, lastType: 3 },
    ]);
    expect(result.gaps).toEqual([{ belowId: 50, downToId: 20 }]);
  });

  it('stay unread when the portal refuses their page, for a later poll to try again', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 300) }).refuse(1);
    const result = await read(portal, 300, [{ belowId: 200, downToId: 20 }]);
    expect(portal.requests).toHaveLength(1);
    expect(result.gapItemIds).toEqual(new Set());
    expect(result.gaps).toEqual([{ belowId: 200, downToId: 20 }]);
  });
});

describe('a portal that ignores LAST_ID', () => {
  // It answers every request with the top of the list (confirms first); page-reader.ts must not
  // loop on it nor announce what lies outside the range. Nothing was read yet this poll.
  const readRange = async (portal: NotifyListPortal, gap: Gap): Promise<{ gapItemIds: Set<number>; gaps: Gap[] }> =>
    readOldGaps({ client: portal.client, highWaterMark: 100, gaps: [gap], nowMs: NOW, signal: new AbortController().signal }, new Map<number, PortalNotification>(), [gap], 3);

  it('gives up a range whose page does not go below the range: one request, nothing announced', async () => {
    const portal = new NotifyListPortal({ confirms: [30], regular: ids(51, 99), ignoresCursor: true });
    const found = await readRange(portal, { belowId: 51, downToId: 10 });
    expect(portal.requests).toHaveLength(1);
    expect(found.gapItemIds).toEqual(new Set());
    expect(found.gaps).toEqual([]);
  });

  it('narrows a range by the regular items it read, never by a confirm', async () => {
    const portal = new NotifyListPortal({ confirms: [25], regular: ids(52, 100), ignoresCursor: true });
    const found = await readRange(portal, { belowId: 80, downToId: 20 });
    expect(sorted(found.gapItemIds)).toEqual(ids(52, 79));
    // The second request gets the same page, which does not go below 52: the range is given up.
    expect(portal.requests).toEqual([
      { lastId: 80, lastType: 3 },
      { lastId: 52, lastType: 3 },
    ]);
    expect(found.gaps).toEqual([]);
  });
});

describe('what a poll stores about unread ranges', () => {
  /** Counts writes: the cursor (sync.ts) writes its ranges only when the reader returns a new list. */
  class CountingBackend extends MemoryBackend {
    total = 0;
    override set(key: string, value: unknown): void {
      this.total += 1;
      super.set(key, value);
    }
  }

  it('writes nothing after an idle poll with no unread range', async () => {
    const backend = new CountingBackend();
    const storage = new Storage(backend, () => undefined);
    const cursor = new SyncCursor(storage, 'main');
    const portal = new NotifyListPortal({ regular: ids(1, 100) });
    const result = await read(portal, 100, cursor.gaps);
    cursor.advance(result.gaps, undefined);
    expect(backend.total).toBe(0);
  });

  it('does not rewrite the stored ranges when a refused page left no page to read them with', async () => {
    const backend = new CountingBackend();
    const storage = new Storage(backend, () => undefined);
    new SyncCursor(storage, 'main').advance([{ belowId: 200, downToId: 20 }], 300);
    const written = backend.total;
    const cursor = new SyncCursor(storage, 'main'); // as after a restart: the ranges come from disk
    const portal = new NotifyListPortal({ confirms: ids(1001, 1080), regular: ids(1, 300) }).refuse(1);
    const result = await read(portal, cursor.highWaterMark, cursor.gaps);
    cursor.advance(result.gaps, cursor.highWaterMark);
    expect(result.gaps).toEqual([{ belowId: 200, downToId: 20 }]);
    expect(backend.total).toBe(written);
  });
});
