/**
 * The arithmetic of a virtual list whose rows have different heights, kept apart from the DOM so
 * Node can test it: prefix sums of row heights, the rows a scroll position needs, where to scroll
 * to show a row, and which row anchors the view. All lengths are CSS pixels.
 */

/** Rows [start, end) to render. */
export interface RowRange {
  start: number;
  end: number;
}

export type Align = 'nearest' | 'start' | 'center';

/** offsets[i] is the top of row i and offsets[n] the height of them all. */
export function prefixSums(heightsPx: ArrayLike<number>): Float64Array {
  const offsets = new Float64Array(heightsPx.length + 1);
  for (let i = 0; i < heightsPx.length; i += 1) offsets[i + 1] = offsets[i]! + Math.max(0, heightsPx[i]!);
  return offsets;
}

export function totalHeightPx(offsets: Float64Array): number {
  return offsets[offsets.length - 1] ?? 0;
}

/** The row that covers `yPx` (the last one whose top is at or above it), clamped to the rows; -1 when there are none. */
export function rowAt(offsets: Float64Array, yPx: number): number {
  const rows = offsets.length - 1;
  if (rows <= 0) return -1;
  // Binary search: the largest i < rows with offsets[i] <= yPx. Zero-height rows share a top; the
  // last of them wins, which is the one actually drawn at that y.
  let low = 0;
  let high = rows - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (offsets[middle]! <= yPx) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The rows that intersect [scrollTop − overscan, scrollTop + viewport + overscan). */
export function visibleRange(offsets: Float64Array, scrollTopPx: number, viewportPx: number, overscanPx: number): RowRange {
  const rows = offsets.length - 1;
  if (rows <= 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, Math.max(0, scrollTopPx - overscanPx));
  const bottomPx = scrollTopPx + Math.max(0, viewportPx) + overscanPx;
  let end = rowAt(offsets, bottomPx) + 1;
  // A row whose top is exactly the bottom edge is not in view.
  if (end - 1 > start && offsets[end - 1]! >= bottomPx) end -= 1;
  return { start, end };
}

export function maxScrollTopPx(offsets: Float64Array, viewportPx: number): number {
  return Math.max(0, totalHeightPx(offsets) - viewportPx);
}

/**
 * Where to scroll so that row `index` is in view. `nearest` moves as little as possible (nothing
 * when the row is already fully in view); a row taller than the viewport shows its top.
 */
export function scrollTopToShow(offsets: Float64Array, index: number, scrollTopPx: number, viewportPx: number, align: Align = 'nearest'): number {
  const rows = offsets.length - 1;
  if (rows <= 0) return 0;
  const row = Math.min(rows - 1, Math.max(0, index));
  const topPx = offsets[row]!;
  const bottomPx = offsets[row + 1]!;
  const heightPx = bottomPx - topPx;
  let target: number;
  if (align === 'start' || heightPx >= viewportPx) target = topPx;
  else if (align === 'center') target = topPx - (viewportPx - heightPx) / 2;
  else if (topPx < scrollTopPx) target = topPx;
  else if (bottomPx > scrollTopPx + viewportPx) target = bottomPx - viewportPx;
  else target = scrollTopPx;
  return Math.min(maxScrollTopPx(offsets, viewportPx), Math.max(0, target));
}

/**
 * The row a page up or down from row `index` lands on: the one a viewport's height above or below
 * its top, and at least the next row, so a row taller than the viewport still moves on.
 */
export function pageFrom(offsets: Float64Array, index: number, viewportPx: number, direction: 1 | -1): number {
  const rows = offsets.length - 1;
  if (rows <= 0) return -1;
  const row = Math.min(rows - 1, Math.max(0, index));
  const landed = rowAt(offsets, offsets[row]! + direction * Math.max(1, viewportPx));
  const next = direction > 0 ? Math.max(landed, row + 1) : Math.min(landed, row - 1);
  return Math.min(rows - 1, Math.max(0, next));
}

/** What keeps the view still while rows above it change height or come and go: a row and how far into it the viewport starts. */
export interface Anchor {
  key: string;
  index: number;
  offsetPx: number;
}

/** The anchor at a scroll position; none at the very top, where new rows should push the list down into view. */
export function anchorAt(offsets: Float64Array, keys: readonly string[], scrollTopPx: number): Anchor | undefined {
  if (scrollTopPx <= 0) return undefined;
  const index = rowAt(offsets, scrollTopPx);
  const key = keys[index];
  if (key === undefined) return undefined;
  return { key, index, offsetPx: scrollTopPx - offsets[index]! };
}

/**
 * Where to scroll so the anchor row sits where it did. A row that is gone leaves its place to the
 * row now at its index.
 */
export function anchoredScrollTop(offsets: Float64Array, indexOf: (key: string) => number | undefined, anchor: Anchor | undefined, viewportPx: number): number {
  if (!anchor) return 0;
  const rows = offsets.length - 1;
  if (rows <= 0) return 0;
  const index = indexOf(anchor.key) ?? Math.min(anchor.index, rows - 1);
  return Math.min(maxScrollTopPx(offsets, viewportPx), Math.max(0, offsets[index]! + anchor.offsetPx));
}
