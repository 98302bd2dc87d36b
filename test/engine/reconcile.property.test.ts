/**
 * reconcile (main/core/engine/reconcile.ts) against a simple reference model of a portal, with
 * fast-check: random histories of notifications created and removed on the portal, reads that see
 * all of the list or only its newest part, answers queued in between. The model is what a user
 * expects, written independently of the engine's bookkeeping:
 * - every notification created after the first sync and still there at the next one is announced
 *   exactly once; nothing is ever announced twice; nothing known before is announced;
 * - after a complete read the inbox is exactly what the portal has (answers just settled aside);
 * - a read that did not reach an item never removes it;
 * - an item that left the portal with an answer queued settles that answer ("every click settles").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../main/core/engine/outbox';
import type { FetchedPages } from '../../main/core/engine/page-reader';
import { reconcile, RESULT_VISIBLE_MS, type Chores, type KnownState } from '../../main/core/engine/reconcile';
import type { InboxItem } from '../../main/core/engine/state';
import type { PortalNotification } from '../../main/core/notifications/model';
import { notification as fixture } from './reconcile-fixtures';

/** Without an author and never answerable, so that nothing but ids and kinds varies. */
const notification = (id: number, confirm: boolean): PortalNotification => fixture(id, confirm, { author: undefined, canAnswer: false });

type Step =
  | { kind: 'create'; count: number; confirm: boolean }
  | { kind: 'remove'; pick: number }
  | { kind: 'sync'; partial: boolean }
  | { kind: 'click'; pick: number; sent: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), count: fc.integer({ min: 1, max: 4 }), confirm: fc.boolean() }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('sync' as const), partial: fc.boolean() }),
  fc.record({ kind: fc.constant('click' as const), pick: fc.nat(), sent: fc.boolean() }),
);

const noChores: Chores = { readIds: new Set(), readAll: false, deleteIds: new Set() };

interface Run {
  announcements: number[];
  violations: string[];
}

/** Plays a history; the engine's part is only reconcile plus applying its result as the engine does. */
function play(steps: Step[]): Run {
  const portal = new Map<number, PortalNotification>();
  let nextId = 1;
  let now = 1_000_000;
  const inbox = new Map<number, InboxItem>();
  const settledAt = new Map<number, number>();
  let outbox: OutboxEntry[] = [];
  let highWaterMark: number | undefined;
  let gaps: { belowId: number; downToId: number }[] = [];
  const createdAfterFirstSync = new Set<number>();
  let synced = false;
  const announcements: number[] = [];
  const violations: string[] = [];

  for (const step of steps) {
    now += 1_000;
    if (step.kind === 'create') {
      for (let i = 0; i < step.count; i += 1) {
        const id = nextId++;
        portal.set(id, notification(id, step.confirm));
        if (synced) createdAfterFirstSync.add(id);
      }
    } else if (step.kind === 'remove') {
      const ids = [...portal.keys()];
      if (ids.length > 0) portal.delete(ids[step.pick % ids.length]!);
    } else if (step.kind === 'click') {
      const confirms = [...inbox.values()].filter((item) => item.kind === 'confirm' && !outbox.some((e) => e.notificationId === item.id) && !item.action);
      const target = confirms[step.pick % Math.max(1, confirms.length)];
      if (target) outbox.push({ actionId: `a${target.id}`, kind: 'confirm', notificationId: target.id, value: 'Y', createdAt: now, attempts: 1, phase: step.sent ? 'sent' : 'pending' });
    } else {
      // A partial read sees only the newest three regular items and every confirm.
      const all = [...portal.values()].sort((a, b) => b.id - a.id);
      const regular = all.filter((item) => item.kind !== 'confirm');
      const seenRegular = step.partial ? regular.slice(0, 3) : regular;
      const partial = step.partial && regular.length > 3;
      const items = [...all.filter((item) => item.kind === 'confirm'), ...seenRegular].map((item) => ({ ...item }));
      const regularCoveredFrom = partial ? Math.min(...seenRegular.map((item) => item.id)) : 0;
      // What the page reader reports (page-reader.ts): a read that stopped short of what was known
      // leaves an unread range; items later read from inside one are "found in a gap".
      const inGap = (id: number): boolean => gaps.some((gap) => id < gap.belowId && id > gap.downToId);
      const gapItemIds = new Set(seenRegular.filter((item) => inGap(item.id)).map((item) => item.id));
      if (partial && highWaterMark !== undefined && regularCoveredFrom > highWaterMark + 1) gaps.push({ belowId: regularCoveredFrom, downToId: highWaterMark });
      if (!partial) gaps = [];
      const fetched: FetchedPages = { items, skipped: 0, totalUnread: 0, confirmsComplete: true, regularCoveredFrom, gapItemIds, retryAt: undefined, gaps, readAtMs: now };
      const known: KnownState = { inbox, highWaterMark, settledAt, outbox, chores: noChores, maxInboxItems: 10_000 };
      const hwmBefore = highWaterMark;
      const result = reconcile(known, fetched, now, () => []);

      for (const item of result.announce) {
        if (announcements.includes(item.id)) violations.push(`announced twice: ${item.id}`);
        if (hwmBefore === undefined || (item.id <= hwmBefore && !fetched.gapItemIds.has(item.id))) violations.push(`announced ${item.id}, not newer than ${String(hwmBefore)} nor found in a gap`);
        announcements.push(item.id);
      }
      for (const id of result.removed) {
        if (portal.has(id)) violations.push(`removed ${id}, still on the portal`);
        if (id < regularCoveredFrom && inbox.get(id)?.kind !== 'confirm') violations.push(`removed ${id} below what was read`);
      }
      // Every queued answer whose item left the portal settles; the rest stay queued.
      for (const entry of outbox) {
        const decision = result.decisions.find((d) => d.entry === entry);
        const gone = !portal.has(entry.notificationId);
        if (gone && !(decision && 'outcome' in decision)) violations.push(`click on ${entry.notificationId} gone from the portal did not settle`);
        if (!gone && decision && 'outcome' in decision) violations.push(`click on ${entry.notificationId} settled while still on the portal`);
        if (decision && 'outcome' in decision && decision.outcome.status === 'done' && decision.outcome.gone !== (entry.phase === 'pending')) {
          violations.push(`click on ${entry.notificationId}: gone=${String(decision.outcome.gone)} for phase ${entry.phase}`);
        }
      }

      // Apply as the engine does.
      const settledIds = new Set<string>();
      for (const decision of result.decisions) {
        if ('outcome' in decision) {
          settledIds.add(decision.entry.actionId);
          settledAt.set(decision.entry.notificationId, now);
        } else {
          decision.entry.phase = 'pending';
        }
      }
      outbox = outbox.filter((entry) => !settledIds.has(entry.actionId));
      for (const item of result.put) inbox.set(item.id, item);
      for (const id of [...result.removed, ...result.trimmed]) inbox.delete(id);
      highWaterMark = result.highWaterMark;
      synced = true;

      if (!partial) {
        const expected = [...portal.keys()].sort((a, b) => a - b);
        const justAnswered = (id: number): boolean => (settledAt.get(id) ?? -Infinity) > now - RESULT_VISIBLE_MS && inbox.get(id)?.action?.status === 'done';
        const actual = [...inbox.keys()].filter((id) => !justAnswered(id) || portal.has(id)).sort((a, b) => a - b);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) violations.push(`inbox ${JSON.stringify(actual)} ≠ portal ${JSON.stringify(expected)}`);
        // Whatever the portal holds that was created after the first sync has been announced by now.
        for (const id of portal.keys()) {
          if (createdAfterFirstSync.has(id) && !announcements.includes(id)) violations.push(`${id} never announced`);
        }
      }
      for (const entry of outbox) {
        if (inbox.has(entry.notificationId) && !inbox.get(entry.notificationId)!.action) violations.push(`queued click on ${entry.notificationId} shows no state`);
      }
    }
  }
  return { announcements, violations };
}

describe('reconcile against a reference model (fast-check)', () => {
  it('announces each new notification once, keeps the inbox equal to the portal, settles every click whose item left', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const run = play(steps);
        expect(run.violations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('an idle sync (nothing changed on the portal) changes nothing: no item put, none removed, none announced', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 0, maxLength: 30 }), (kinds) => {
        const items = kinds.map((confirm, index) => notification(index + 1, confirm));
        const fetched = (): FetchedPages => ({ items: items.map((item) => ({ ...item })), skipped: 0, totalUnread: 0, confirmsComplete: true, regularCoveredFrom: 0, gapItemIds: new Set(), retryAt: undefined, gaps: [], readAtMs: 0 });
        const inbox = new Map<number, InboxItem>();
        const first = reconcile({ inbox, highWaterMark: undefined, settledAt: new Map(), outbox: [], chores: noChores, maxInboxItems: 10_000 }, fetched(), 0, () => []);
        for (const item of first.put) inbox.set(item.id, item);
        expect(first.announce).toEqual([]); // the first sync only learns what exists
        const idle = reconcile({ inbox, highWaterMark: first.highWaterMark, settledAt: new Map(), outbox: [], chores: noChores, maxInboxItems: 10_000 }, fetched(), 30_000, () => {
          throw new Error('nothing needs rendering on an idle sync');
        });
        expect(idle).toMatchObject({ put: [], removed: [], trimmed: [], announce: [], decisions: [], highWaterMark: first.highWaterMark });
      }),
      { numRuns: 100 },
    );
  });
});

describe('reconcile: what counts as changed', () => {
  const fetchedOf = (items: PortalNotification[]): FetchedPages => ({ items, skipped: 0, totalUnread: 0, confirmsComplete: true, regularCoveredFrom: 0, gapItemIds: new Set(), retryAt: undefined, gaps: [], readAtMs: 0 });
  const knownWith = (item: PortalNotification): KnownState => ({ inbox: new Map([[item.id, { ...item, action: undefined, rich: [] }]]), highWaterMark: item.id, settledAt: new Map(), outbox: [], chores: noChores, maxInboxItems: 100 });

  it.each([
    ['a button label', (item: PortalNotification) => ({ ...item, buttons: [{ ...item.buttons[0]!, label: 'Join' }] })],
    ['a button added', (item: PortalNotification) => ({ ...item, buttons: [...item.buttons, { value: 'N', label: 'Decline', style: 'cancel' as const }] })],
    ['the author’s name', (item: PortalNotification) => ({ ...item, author: { id: 3, name: 'Anna B.', avatarUrl: undefined, color: undefined } })],
    ['read on the portal', (item: PortalNotification) => ({ ...item, read: true })],
    ['the text', (item: PortalNotification) => ({ ...item, text: 'edited' })],
    ['buttons beyond the shown ones', (item: PortalNotification) => ({ ...item, moreButtons: 2 })],
  ])('%s changed on the portal: the item is put again (re-rendered only when its text changed)', (_what, change) => {
    const item: PortalNotification = { ...notification(7, true), author: { id: 3, name: 'Anna', avatarUrl: undefined, color: undefined } };
    let renders = 0;
    const result = reconcile(knownWith(item), fetchedOf([change(item)]), 0, () => {
      renders += 1;
      return [];
    });
    expect(result.put.map((put) => put.id)).toEqual([7]);
    expect(renders).toBe(change(item).text === item.text ? 0 : 1);
  });
});

describe('reconcile: what a partial read may take for gone', () => {
  it('a confirm missing just above the oldest confirm read is gone; older ones, not read, stay', () => {
    const inbox = new Map<number, InboxItem>([9, 10, 11, 12].map((id) => [id, { ...notification(id, true), action: undefined, rich: [] }]));
    // A quick look read the newest confirms down to 10; 11 was answered elsewhere; 9 was not read.
    const fetched: FetchedPages = { items: [notification(12, true), notification(10, true)], skipped: 0, totalUnread: 0, confirmsComplete: false, regularCoveredFrom: Number.MAX_SAFE_INTEGER, gapItemIds: new Set(), retryAt: undefined, gaps: [], readAtMs: 0 };
    const result = reconcile({ inbox, highWaterMark: 12, settledAt: new Map(), outbox: [], chores: noChores, maxInboxItems: 100 }, fetched, 0, () => []);
    expect(result.removed).toEqual([11]);
    expect(result.put).toEqual([]);
  });

  it('a field the portal leaves out and the inbox holds as undefined is no change', () => {
    const item = notification(5, false);
    const inbox = new Map<number, InboxItem>([[5, { ...item, moreButtons: undefined, action: undefined, rich: [] }]]);
    const fetched: FetchedPages = { items: [{ ...item }], skipped: 0, totalUnread: 0, confirmsComplete: true, regularCoveredFrom: 0, gapItemIds: new Set(), retryAt: undefined, gaps: [], readAtMs: 0 };
    const result = reconcile({ inbox, highWaterMark: 5, settledAt: new Map(), outbox: [], chores: noChores, maxInboxItems: 100 }, fetched, 0, () => []);
    expect(result).toMatchObject({ put: [], removed: [] });
  });

  it('a field the inbox holds and the portal no longer sends is a change', () => {
    const item = notification(5, true);
    const inbox = new Map<number, InboxItem>([[5, { ...item, moreButtons: 3, action: undefined, rich: [] }]]);
    const fetched: FetchedPages = { items: [{ ...item }], skipped: 0, totalUnread: 0, confirmsComplete: true, regularCoveredFrom: 0, gapItemIds: new Set(), retryAt: undefined, gaps: [], readAtMs: 0 };
    const result = reconcile({ inbox, highWaterMark: 5, settledAt: new Map(), outbox: [], chores: noChores, maxInboxItems: 100 }, fetched, 0, () => []);
    expect(result.put.map((put) => put.id)).toEqual([5]);
    expect(result.put[0]!.moreButtons).toBeUndefined();
  });
});
