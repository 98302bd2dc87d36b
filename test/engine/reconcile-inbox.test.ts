/**
 * reconcile (main/core/engine/reconcile.ts), by example: what the inbox shows and announces after a
 * sync: marks and dismissals not yet sent, dates from a portal clock ahead of ours, items found in
 * an unread range, the inbox cap, and which portal changes count as a change. Portal facts: list
 * order is date then id, descending; `im.notify.read.all` skips confirms
 * (../shared/docs/bitrix24-notify-api.md "Ordering", "Confirms are always unread"); dates carry
 * the server's clock (../shared/docs/real-portal-notes.md §1) and the model clamps a date after
 * the read to the read time (model.ts).
 */
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../main/core/engine/reconcile';
import type { ActionState, InboxItem } from '../../main/core/engine/state';
import { held, known, noRender, notification, NOW, read } from './reconcile-fixtures';

const ids = (items: readonly InboxItem[]): number[] => items.map((item) => item.id);
/** `put` is a set of changes: its order means nothing. */
const putIds = (items: readonly InboxItem[]): number[] => ids(items).sort((a, b) => a - b);
const chores = (change: { readIds?: number[]; readAll?: boolean; deleteIds?: number[] }) => ({
  readIds: new Set(change.readIds),
  readAll: change.readAll ?? false,
  deleteIds: new Set(change.deleteIds),
});

describe('reconcile: marks and dismissals still on their way to the portal win', () => {
  it('a new item dismissed here before the portal heard of it is neither shown nor announced', () => {
    const result = reconcile(known([held(notification(10))], { chores: chores({ deleteIds: [11] }) }), read([notification(11), notification(10)]), NOW, noRender);
    expect(result).toMatchObject({ put: [], announce: [] });
  });

  it('an item marked read here shows read although the portal still says unread', () => {
    const result = reconcile(known([held(notification(10))], { chores: chores({ readIds: [10] }) }), read([notification(10)]), NOW, noRender);
    expect(result.put).toEqual([{ ...held(notification(10)), read: true }]);
  });

  it('"read all" marks every regular item read but never a confirm (the portal skips confirms too)', () => {
    const result = reconcile(known([], { highWaterMark: 9, chores: chores({ readAll: true }) }), read([notification(11, true), notification(10)]), NOW, noRender);
    expect(result.put.map((item) => [item.id, item.read])).toEqual([
      [11, false],
      [10, true],
    ]);
  });
});

describe('reconcile: a portal clock ahead of ours', () => {
  // Read at NOW, the portal dated item 10 a minute later: the model clamped it to NOW.
  const firstSeen = held(notification(10, false, { dateMs: NOW }));

  it('an item dated after the read keeps the time it was first seen at, poll after poll', () => {
    const later = NOW + 30_000;
    const result = reconcile(known([firstSeen]), read([notification(10, false, { dateMs: later })], { readAtMs: later }), later, noRender);
    expect(result.put).toEqual([]);
  });

  it('once our clock passes the portal’s date the item takes that date', () => {
    const later = NOW + 120_000;
    const result = reconcile(known([firstSeen]), read([notification(10, false, { dateMs: NOW + 60_000 })], { readAtMs: later }), later, noRender);
    expect(result.put.map((item) => item.dateMs)).toEqual([NOW + 60_000]);
  });

  it('a new item dated after the read is shown at the read time and announced', () => {
    const result = reconcile(known([held(notification(10))]), read([notification(11, false, { dateMs: NOW })]), NOW, noRender);
    expect(result.announce.map((item) => [item.id, item.dateMs])).toEqual([[11, NOW]]);
  });

  it('new items are announced in inbox order (confirms first, then newest first), not in the portal’s', () => {
    // Both regular items were dated after the read and clamped to it: the portal listed them by
    // its own dates (12 before 13); at equal dates the inbox puts the higher id first.
    const fetched = read([notification(14, true), notification(12, false, { dateMs: NOW }), notification(13, false, { dateMs: NOW }), notification(11)]);
    const result = reconcile(known([held(notification(10))]), fetched, NOW, noRender);
    expect(ids(result.announce)).toEqual([14, 13, 12, 11]);
  });
});

describe('reconcile: items read from an unread range (a gap)', () => {
  it('only those the inbox does not hold yet are announced', () => {
    // A burst larger than one poll left ids 3..8 unread; 5 was read since (e.g. by a quick look).
    const fetched = read([notification(5), notification(4)], { gapItemIds: new Set([4, 5]), regularCoveredFrom: 4 });
    const result = reconcile(known([held(notification(5)), held(notification(9))]), fetched, NOW, noRender);
    expect(ids(result.announce)).toEqual([4]);
  });
});

describe('reconcile: the inbox cap', () => {
  it('a new item beyond the cap drops the oldest regular item; confirms are never dropped', () => {
    // The inbox map holds newest first: insertion order is not age order.
    const inbox = [held(notification(3)), held(notification(2)), held(notification(1, true))];
    const fetched = read([notification(1, true), notification(4), notification(3), notification(2)]);
    const result = reconcile(known(inbox, { maxInboxItems: 3 }), fetched, NOW, noRender);
    expect(result.trimmed).toEqual([2]);
    expect(putIds(result.put)).toEqual([4]);
    expect(ids(result.announce)).toEqual([4]);
  });

  it('confirms stay even when they alone fill the cap: only regular items are dropped', () => {
    const inbox = [held(notification(3)), held(notification(2, true)), held(notification(1, true))];
    const fetched = read([notification(2, true), notification(1, true), notification(3)]);
    expect(reconcile(known(inbox, { maxInboxItems: 1 }), fetched, NOW, noRender).trimmed).toEqual([3]);
  });

  it('a burst drops as many of the oldest as it brings in', () => {
    const inbox = [held(notification(3)), held(notification(2)), held(notification(1))];
    const fetched = read([6, 5, 4, 3, 2, 1].map((id) => notification(id)));
    const result = reconcile(known(inbox, { maxInboxItems: 4 }), fetched, NOW, noRender);
    expect(result.trimmed).toEqual([1, 2]);
    expect(putIds(result.put)).toEqual([4, 5, 6]);
  });

  it('an item that left the portal makes room for a new one; an item changed in place takes none', () => {
    const inbox = [held(notification(3)), held(notification(2)), held(notification(1))];
    const fetched = read([notification(4), notification(3, false, { read: true }), notification(2)]);
    const result = reconcile(known(inbox, { maxInboxItems: 3 }), fetched, NOW, noRender);
    expect(result).toMatchObject({ removed: [1], trimmed: [] });
    expect(putIds(result.put)).toEqual([3, 4]);
  });

  it('an inbox under its cap drops nothing', () => {
    const inbox = [held(notification(3)), held(notification(2)), held(notification(1))];
    const fetched = read([notification(4), notification(3), notification(2), notification(1)]);
    expect(reconcile(known(inbox, { maxInboxItems: 6 }), fetched, NOW, noRender).trimmed).toEqual([]);
  });
});

describe('reconcile: what counts as a change on the portal', () => {
  // Every response is parsed anew: equal buttons and authors arrive as fresh objects.
  const fresh = <T>(value: T): T => structuredClone(value);

  it('an idle poll of equal items in fresh objects puts nothing and renders nothing', () => {
    const items = [notification(11, true), notification(10)];
    const result = reconcile(known(items.map((item) => held(item))), read(items.map(fresh)), NOW, () => {
      throw new Error('nothing needs rendering');
    });
    expect(result).toMatchObject({ put: [], removed: [], announce: [] });
  });

  it('an item showing the outcome of an answer is not put again by an idle poll', () => {
    const answered: ActionState = { status: 'done', kind: 'answer', value: 'Thanks', resultMessages: [], gone: false };
    const result = reconcile(known([held(notification(10), answered)]), read([notification(10)]), NOW, noRender);
    expect(result.put).toEqual([]);
  });

  it.each([
    ['an author appears', { author: undefined }, {}],
    // A deleted employee may come without a usable author (real-portal-notes §1).
    ['the author goes', {}, { author: undefined }],
  ])('%s: the item is put again, keeping its state', (_what, before, after) => {
    const waiting = { status: 'waiting', kind: 'answer', value: 'Thanks', message: 'Busy' } as const;
    const result = reconcile(known([held(notification(10, false, before), waiting)]), read([notification(10, false, after)]), NOW, noRender);
    expect(result.put).toEqual([held(notification(10, false, after), waiting)]);
  });
});
