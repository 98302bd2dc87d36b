import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InboxEntry, InboxRow } from '../../renderer/src/lib/inbox';
import { estimateRowHeightPx, inboxRows } from '../../renderer/src/lib/inbox';
import { anchorAt, anchoredScrollTop, maxScrollTopPx, pageFrom, prefixSums, rowAt, scrollTopToShow, totalHeightPx, visibleRange } from '../../renderer/src/lib/virtual-range';

/** Rows of 1–300 px, as the window's items and headings (zero-height rows are allowed too). */
const heights = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 200 });
const viewport = fc.integer({ min: 1, max: 800 });

describe('virtual list math', () => {
  it('sums heights into row tops and a total', () => {
    const offsets = prefixSums([10, 20, 0, 5]);
    expect([...offsets]).toEqual([0, 10, 30, 30, 35]);
    expect(totalHeightPx(offsets)).toBe(35);
    expect(totalHeightPx(prefixSums([]))).toBe(0);
    // A negative height (a bad measurement) counts as none rather than pulling rows up.
    expect([...prefixSums([10, -4, 3])]).toEqual([0, 10, 10, 13]);
  });

  it('finds the row under a y, clamped to the rows; the last of zero-height rows wins', () => {
    const offsets = prefixSums([10, 20, 0, 5]);
    expect(rowAt(offsets, -5)).toBe(0);
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 9.9)).toBe(0);
    expect(rowAt(offsets, 10)).toBe(1);
    expect(rowAt(offsets, 30)).toBe(3); // row 2 has no height: row 3 is what is drawn at 30
    expect(rowAt(offsets, 1_000)).toBe(3);
    expect(rowAt(prefixSums([]), 0)).toBe(-1);
    fc.assert(
      fc.property(heights, fc.double({ min: 0, max: 1, noNaN: true }), (rows, fraction) => {
        const sums = prefixSums(rows);
        const y = fraction * totalHeightPx(sums);
        const index = rowAt(sums, y);
        expect(sums[index]!).toBeLessThanOrEqual(y);
        if (index < rows.length - 1) expect(sums[index + 1]!).toBeGreaterThan(y);
      }),
    );
  });

  it('draws exactly the rows that meet the viewport and its overscan', () => {
    fc.assert(
      fc.property(heights, viewport, fc.integer({ min: 0, max: 600 }), fc.double({ min: 0, max: 1, noNaN: true }), (rows, viewportPx, overscanPx, fraction) => {
        const offsets = prefixSums(rows);
        const scrollTopPx = fraction * maxScrollTopPx(offsets, viewportPx);
        const { start, end } = visibleRange(offsets, scrollTopPx, viewportPx, overscanPx);
        const from = Math.max(0, scrollTopPx - overscanPx);
        const to = scrollTopPx + viewportPx + overscanPx;
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(rows.length);
        expect(end).toBeGreaterThan(start);
        // Every row with height that meets [from, to) is drawn...
        rows.forEach((height, index) => {
          const meets = height > 0 && offsets[index]! < to && offsets[index + 1]! > from;
          if (meets) expect(index >= start && index < end, `row ${index} meets the window`).toBe(true);
        });
        // ...and the first and last drawn rows are not ones lying wholly outside it.
        expect(offsets[start]!).toBeLessThanOrEqual(from);
        if (end - 1 > start) expect(offsets[end - 1]!).toBeLessThan(to);
      }),
    );
    expect(visibleRange(prefixSums([]), 0, 500, 100)).toEqual({ start: 0, end: 0 });
  });

  it('a screenful of 5,000 rows draws a screenful, at any depth', () => {
    const offsets = prefixSums(Array.from({ length: 5_000 }, (_, i) => 60 + (i % 5) * 30));
    for (const scrollTopPx of [0, totalHeightPx(offsets) / 2, maxScrollTopPx(offsets, 500)]) {
      const { start, end } = visibleRange(offsets, scrollTopPx, 500, 480);
      expect(end - start).toBeLessThan(30);
    }
  });

  it('scrolls as little as needed to show a row, or puts it at the top or centre', () => {
    const offsets = prefixSums([100, 100, 100, 100, 100, 100]); // 600 px, viewport 250
    expect(scrollTopToShow(offsets, 1, 0, 250)).toBe(0); // already in view
    expect(scrollTopToShow(offsets, 3, 0, 250)).toBe(150); // below: its bottom at the bottom edge
    expect(scrollTopToShow(offsets, 1, 300, 250)).toBe(100); // above: its top at the top edge
    expect(scrollTopToShow(offsets, 3, 0, 250, 'start')).toBe(300);
    expect(scrollTopToShow(offsets, 3, 0, 250, 'center')).toBe(225);
    expect(scrollTopToShow(offsets, 5, 0, 250, 'start')).toBe(350); // clamped to the end
    expect(scrollTopToShow(offsets, 0, 300, 250, 'center')).toBe(0); // clamped to the top
    expect(scrollTopToShow(prefixSums([100, 400, 100]), 1, 0, 250)).toBe(100); // taller than the view: its top
    fc.assert(
      fc.property(heights, viewport, fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (rows, viewportPx, pick, fraction) => {
        const offsets = prefixSums(rows);
        const index = pick % rows.length;
        const from = fraction * maxScrollTopPx(offsets, viewportPx);
        const to = scrollTopToShow(offsets, index, from, viewportPx);
        expect(to).toBeGreaterThanOrEqual(0);
        expect(to).toBeLessThanOrEqual(maxScrollTopPx(offsets, viewportPx));
        const top = offsets[index]!;
        const bottom = offsets[index + 1]!;
        if (bottom - top <= viewportPx) {
          expect(top).toBeGreaterThanOrEqual(to - 1e-6);
          expect(bottom).toBeLessThanOrEqual(to + viewportPx + 1e-6);
          if (top >= from && bottom <= from + viewportPx) expect(to).toBe(from); // no move when in view
        } else expect(to).toBe(Math.min(top, maxScrollTopPx(offsets, viewportPx)));
      }),
    );
  });

  it('pages by a viewport, at least one row, within the rows', () => {
    const offsets = prefixSums([100, 100, 100, 100, 100, 100, 100, 100]);
    expect(pageFrom(offsets, 0, 250, 1)).toBe(2);
    expect(pageFrom(offsets, 5, 250, -1)).toBe(2);
    expect(pageFrom(offsets, 7, 250, 1)).toBe(7);
    expect(pageFrom(offsets, 0, 250, -1)).toBe(0);
    expect(pageFrom(prefixSums([100, 900, 100]), 1, 250, 1)).toBe(2); // a tall row still moves on
    expect(pageFrom(offsets, 3, 50, 1)).toBe(4); // a viewport shorter than the row: the next one
    expect(pageFrom(prefixSums([]), 0, 250, 1)).toBe(-1);
  });

  it('keeps the anchor row where it was when rows above it arrive, grow or go', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const before = prefixSums([100, 100, 100, 100, 100]);
    const anchor = anchorAt(before, keys, 230); // 30 px into c
    expect(anchor).toEqual({ key: 'c', index: 2, offsetPx: 30 });
    const indexIn = (list: string[]) => (key: string) => (list.includes(key) ? list.indexOf(key) : undefined);

    // A new row of 80 px on top, and b grew by 20: c's top moved down 100, and so does the view.
    const arrived = ['new', 'a', 'b', 'c', 'd', 'e'];
    expect(anchoredScrollTop(prefixSums([80, 100, 120, 100, 100, 100]), indexIn(arrived), anchor, 200)).toBe(330);
    // a went away: c moved up 100.
    const left = ['b', 'c', 'd', 'e'];
    expect(anchoredScrollTop(prefixSums([100, 100, 100, 100]), indexIn(left), anchor, 200)).toBe(130);
    // c itself went away: the row now at its place takes over.
    expect(anchoredScrollTop(prefixSums([100, 100, 100, 100]), indexIn(['a', 'b', 'd', 'e']), anchor, 100)).toBe(230);
    // The list shrank under the view: as far down as it goes.
    expect(anchoredScrollTop(prefixSums([100, 100, 100]), indexIn(['a', 'b', 'c']), anchor, 200)).toBe(100);
    expect(anchoredScrollTop(prefixSums([]), indexIn([]), anchor, 200)).toBe(0);
  });

  it('anchors nothing at the very top, so new rows show there', () => {
    const offsets = prefixSums([100, 100]);
    expect(anchorAt(offsets, ['a', 'b'], 0)).toBeUndefined();
    expect(anchoredScrollTop(prefixSums([50, 100, 100]), () => 1, undefined, 100)).toBe(0);
    expect(anchorAt(prefixSums([]), [], 10)).toBeUndefined();
  });

  it('keeps any anchor row still, for any rows inserted above and heights changed (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 2, maxLength: 100 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 10 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: -50, max: 50 }),
        (rows, inserted, fraction, growPx) => {
          const viewportPx = 200;
          const keys = rows.map((_, i) => `k${i}`);
          const offsets = prefixSums(rows);
          const scrollTopPx = fraction * maxScrollTopPx(offsets, viewportPx);
          const anchor = anchorAt(offsets, keys, scrollTopPx);
          if (!anchor) return;
          // New rows on top, and the row above the anchor (if any) changes height.
          const nextRows = [...inserted, ...rows.map((height, i) => (i === anchor.index - 1 ? Math.max(1, height + growPx) : height))];
          const nextKeys = [...inserted.map((_, i) => `new${i}`), ...keys];
          const nextOffsets = prefixSums(nextRows);
          const to = anchoredScrollTop(nextOffsets, (key) => nextKeys.indexOf(key), anchor, viewportPx);
          const newTop = nextOffsets[nextKeys.indexOf(anchor.key)]!;
          // Where the anchor row sits in the viewport is unchanged, unless the list cannot scroll that far.
          if (to < maxScrollTopPx(nextOffsets, viewportPx)) expect(newTop - to).toBeCloseTo(offsets[anchor.index]! - scrollTopPx, 6);
        },
      ),
    );
  });
});

describe('the window’s rows', () => {
  const entry = (id: number, kind: 'confirm' | 'system', text = 'Short.'): InboxEntry => ({
    key: `acme:${id}`,
    accountId: 'acme',
    portalName: 'Acme',
    portalColor: '#2f80ed',
    portalOrigin: 'https://acme.bitrix24.com',
    item: {
      id,
      kind,
      dateMs: 0,
      title: `Item ${id}`,
      text,
      module: 'm',
      event: 'e',
      settingName: 'm|e',
      tag: '',
      read: false,
      author: undefined,
      buttons: [],
      canAnswer: false,
      action: undefined,
      rich: [],
    },
  });

  it('puts each section under its heading and numbers the items across both, from 1', () => {
    const rows = inboxRows([entry(1, 'confirm'), entry(2, 'confirm')], [entry(3, 'system')]);
    expect(rows.map((row) => (row.kind === 'heading' ? row.section : `${row.key}#${row.position}`))).toEqual([
      'needsAnswer',
      'acme:1#1',
      'acme:2#2',
      'notifications',
      'acme:3#3',
    ]);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    expect(inboxRows([], [entry(3, 'system')]).map((row) => row.key)).toEqual(['heading:notifications', 'acme:3']);
    expect(inboxRows([entry(1, 'confirm')], [])).toHaveLength(2);
  });

  it('guesses taller rows for longer text, line breaks, buttons and a portal name', () => {
    const guess = (row: InboxRow | undefined, showPortal = false): number => estimateRowHeightPx(row!, showPortal);
    const other = (id: number, text?: string): InboxRow | undefined => inboxRows([], [entry(id, 'system', text)])[1];
    const short = guess(other(1));
    expect(guess(other(2, 'A sentence that goes on. '.repeat(8)))).toBeGreaterThan(short);
    expect(guess(other(3, 'One.[BR]Two.#BR#Three.'))).toBeGreaterThan(short);
    expect(guess(other(4, '[URL=https://acme.bitrix24.com/a/very/long/path/to/a/task/12345/]Short.[/URL]'))).toBe(short); // tags take no room
    expect(guess(other(1), true)).toBeGreaterThan(short);
    const [heading, confirm] = inboxRows([entry(5, 'confirm')], []);
    expect(guess(heading)).toBeLessThan(short);
    expect(guess(confirm)).toBeGreaterThan(short); // its buttons take more room than the links
  });
});
