/**
 * How far one sync reads the portal's list (main/core/engine/page-reader.ts): which further pages
 * of `im.notify.get` it asks for, and what it reports about what it read — how far the regular
 * section was covered, whether every open confirm was seen, the unread range it leaves behind.
 * The portal follows the cursor rules of bitrix24-notify-api §2.1 (confirms first, then the regular
 * section; LAST_TYPE 1 continues among confirms, 3 among the rest).
 */
import { describe, expect, it } from 'vitest';
import { MAX_PAGES_PER_POLL, readPages, type Gap, type PagesRead } from '../../main/core/engine/page-reader';
import { PortalError } from '../../main/core/portal/errors';
import { ids, NotifyListPortal, rateLimited } from './notify-list-portal';

const NOW = 1_700_000_000_000;
const REGULAR_TOP = Number.MAX_SAFE_INTEGER;

function read(portal: NotifyListPortal, highWaterMark: number | undefined, gaps: Gap[] = [], signal = new AbortController().signal): Promise<PagesRead> {
  return readPages(portal.firstPage(), { client: portal.client, highWaterMark, gaps, nowMs: NOW, signal });
}

const idsOf = (result: PagesRead): number[] => result.items.map((item) => item.id).sort((a, b) => b - a);

describe('reading the news after the first page', () => {
  it('reads only the first page on the first sync, and says from which id the regular list was read', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 100) });
    const result = await read(portal, undefined);
    expect(portal.requests).toEqual([]);
    expect(idsOf(result)).toEqual(ids(51, 100));
    // Older notifications exist but were not read: nothing below 51 may be taken as gone.
    expect(result.regularCoveredFrom).toBe(51);
    expect(result.confirmsComplete).toBe(true);
    expect(result.gaps).toEqual([]);
  });

  it('reads on through news until a page reaches the newest notification seen before', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 130) });
    const result = await read(portal, 60);
    expect(portal.requests).toEqual([{ lastId: 81, lastType: 3 }]);
    expect(idsOf(result)).toEqual(ids(31, 130));
    expect(result.regularCoveredFrom).toBe(31);
  });

  it('stops at a first page that reaches exactly the newest known id, confirms on top or not', async () => {
    const portal = new NotifyListPortal({ confirms: ids(150, 154), regular: ids(1, 100) });
    const result = await read(portal, 56);
    expect(portal.requests).toEqual([]);
    expect(idsOf(result)).toEqual([...ids(150, 154), ...ids(56, 100)]);
    expect(result.regularCoveredFrom).toBe(56);
  });

  it('does not take old open confirms for notifications already seen: news below them is still read', async () => {
    // Confirms stay open for weeks (§1.4), so their ids can be far below the news.
    const portal = new NotifyListPortal({ confirms: ids(1, 5), regular: ids(11, 300) });
    const result = await read(portal, 10);
    expect(portal.requests).toEqual([
      { lastId: 256, lastType: 3 },
      { lastId: 206, lastType: 3 },
      { lastId: 156, lastType: 3 },
    ]);
    expect(result.regularCoveredFrom).toBe(106);
    // 11..105 arrived but did not fit in this poll's pages: a later poll reads them.
    expect(result.gaps).toEqual([{ belowId: 106, downToId: 10 }]);
  });
});

describe('the unread range left when the news does not fit in one poll', () => {
  it('is kept newest first, with at most eight ranges: the oldest one is given up', async () => {
    const older = Array.from({ length: 8 }, (_, i) => ({ belowId: 900 - i * 100, downToId: 890 - i * 100 }));
    const portal = new NotifyListPortal({ regular: ids(1, 1300) });
    const result = await read(portal, 1000, older);
    expect(portal.requests).toHaveLength(MAX_PAGES_PER_POLL - 1);
    expect(result.gaps).toEqual([{ belowId: 1101, downToId: 1000 }, ...older.slice(0, 7)]);
    expect(result.gapItemIds).toEqual(new Set());
  });

  it('is not made when the pages read down to the id right after the newest known one', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 210) });
    const result = await read(portal, 10);
    expect(portal.requests).toHaveLength(3);
    expect(result.regularCoveredFrom).toBe(11);
    expect(result.gaps).toEqual([]);
  });

  it('is not made when the list ended: ids missing above the known one were deleted, not unread', async () => {
    const portal = new NotifyListPortal({ regular: ids(20, 40) });
    const result = await read(portal, 10);
    // No range to read either: the poll asks for nothing beyond its first page.
    expect(portal.requests).toEqual([]);
    expect(result.regularCoveredFrom).toBe(0);
    expect(result.gaps).toEqual([]);
  });
});

describe('items the app cannot understand', () => {
  it('still fill a page, so the read goes on past it, and are counted once each', async () => {
    const portal = new NotifyListPortal({ regular: ids(11, 120), unreadable: [100, 90] });
    const result = await read(portal, 10);
    expect(portal.requests).toEqual([
      { lastId: 71, lastType: 3 },
      { lastId: 21, lastType: 3 },
    ]);
    expect(result.items).toHaveLength(108);
    expect(result.skipped).toBe(2);
    expect(result.regularCoveredFrom).toBe(0);
  });

  it('end the read when a whole page is made of them: there is no cursor to go on from', async () => {
    const portal = new NotifyListPortal({ regular: ids(1, 80), unreadable: ids(31, 80) });
    const result = await read(portal, undefined);
    expect(portal.requests).toEqual([]);
    expect(result.items).toEqual([]);
    expect(result.skipped).toBe(50);
    expect(result.confirmsComplete).toBe(false);
    expect(result.regularCoveredFrom).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('open confirms', () => {
  it('behind more confirms than four pages hold, the last page jumps to the newest regular items', async () => {
    // One unreadable confirm on each confirm page, one unreadable regular item on the jump page.
    const portal = new NotifyListPortal({ confirms: ids(1001, 1200), regular: ids(1, 20), unreadable: [1190, 1140, 1080, 15] });
    const result = await read(portal, undefined);
    expect(portal.requests).toEqual([
      { lastId: 1151, lastType: 1 },
      { lastId: 1101, lastType: 1 },
      { lastId: REGULAR_TOP, lastType: 3 },
    ]);
    expect(result.confirmsFillFirstPage).toBe(true);
    // Confirms 1001..1050 were never read: answered elsewhere or not, they must not be dropped.
    expect(result.confirmsComplete).toBe(false);
    expect(result.regularCoveredFrom).toBe(0);
    expect(result.skipped).toBe(4);
    // Only the further confirm pages: the poll plan adds these to what its quick look skipped.
    expect(result.deepConfirmSkipped).toBe(2);
  });

  it('reading on into the regular section means every confirm was read', async () => {
    const portal = new NotifyListPortal({ confirms: ids(1001, 1120), regular: ids(1, 100) });
    const result = await read(portal, undefined);
    expect(portal.requests).toEqual([
      { lastId: 1071, lastType: 1 },
      { lastId: 1021, lastType: 1 },
    ]);
    expect(result.confirmsComplete).toBe(true);
    expect(result.confirmsFillFirstPage).toBe(true);
    expect(result.deepConfirmSkipped).toBe(0);
  });

  it('a full first page of confirms and news together is not a wall of confirms', async () => {
    const portal = new NotifyListPortal({ confirms: ids(501, 510), regular: ids(1, 100) });
    const result = await read(portal, undefined);
    expect(result.confirmsFillFirstPage).toBe(false);
    expect(result.confirmsComplete).toBe(true);
    expect(result.regularCoveredFrom).toBe(61);
  });

  it('a refused second page keeps the first, leaves the confirms unfinished and makes no unread range', async () => {
    const portal = new NotifyListPortal({ confirms: ids(1001, 1080), regular: ids(1, 300) }).refuse(1, rateLimited(NOW + 60_000));
    const gaps: Gap[] = [];
    const result = await read(portal, 300, gaps);
    expect(portal.requests).toHaveLength(1);
    expect(idsOf(result)).toEqual(ids(1031, 1080));
    expect(result.retryAt).toBe(NOW + 60_000);
    expect(result.confirmsComplete).toBe(false);
    // No regular item was read: nothing is known to be covered, and no range is unread for sure.
    expect(result.regularCoveredFrom).toBe(Number.MAX_SAFE_INTEGER);
    expect(result.gaps).toBe(gaps);
  });
});

describe('a read that cannot go on', () => {
  it('fails with the error itself when the client breaks in a way that is not the portal refusing', async () => {
    const bug = new TypeError('socket exploded');
    const portal = new NotifyListPortal({ regular: ids(1, 200) }).refuse(1, bug);
    await expect(read(portal, 10)).rejects.toBe(bug);
  });

  it('is abandoned when the account stops meanwhile, even if the portal refused the page', async () => {
    const stop = new AbortController();
    const refusal = rateLimited();
    const portal = new NotifyListPortal({ regular: ids(1, 200) })
      .refuse(1, refusal)
      .beforeAnswer(() => stop.abort());
    await expect(read(portal, 10, [], stop.signal)).rejects.toBe(refusal);
    expect(refusal).toBeInstanceOf(PortalError);
  });
});
