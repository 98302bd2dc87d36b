/**
 * reconcile (main/core/engine/reconcile.ts), by example: what one sync means for the answers the
 * user queued (the outbox) and for items answered a moment ago. Portal facts relied on: a confirm
 * is deleted by the portal once it is answered (`im.notify.confirm` step 4), a quick reply leaves
 * its item in place; a read that stops early tells nothing about what it did not reach
 * (../shared/docs/bitrix24-notify-api.md §1.4, §2.2; page-reader.ts `confirmsComplete`,
 * `regularCoveredFrom`). The reference-model properties are in reconcile.property.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { reconcile, RESULT_VISIBLE_MS } from '../../main/core/engine/reconcile';
import type { ActionState, InboxItem } from '../../main/core/engine/state';
import { held, known, noRender, notification, NOW, queued, read } from './reconcile-fixtures';

/** A read that got every confirm (here: 12) and the regular items from 50 up (later pages not read). */
const confirmsAndTop = () => read([notification(12, true), notification(50)], { regularCoveredFrom: 50 });
/** What the inbox held after the previous sync: what this read saw, plus the given items. */
const inboxWith = (...items: InboxItem[]) => [...items, ...confirmsAndTop().items.map((item) => held(item))];

describe('reconcile: answers queued for items still on the portal', () => {
  it('only a confirm that may have reached the portal and is still there is sent again', () => {
    // 10: sent, fate unknown, still listed, so it was never acted on. 11: never sent. 60: a quick
    // reply that was sent; the item stays on the portal after a reply, so it proves nothing.
    const sent = queued(10, 'confirm', 'sent');
    const outbox = [sent, queued(11, 'confirm', 'pending'), queued(60, 'answer', 'sent')];
    const inbox = [held(notification(10, true)), held(notification(11, true)), held(notification(60))];
    const result = reconcile(known(inbox, { outbox }), read([notification(10, true), notification(11, true), notification(60)]), NOW, noRender);
    expect(result.decisions).toEqual([{ entry: sent, resend: true }]);
  });

  it('after a restart a queued answer shows as sending on its item once the item is read again', () => {
    const entry = queued(10, 'confirm', 'pending');
    const result = reconcile(known([], { outbox: [entry], highWaterMark: 10 }), read([notification(10, true)]), NOW, noRender);
    expect(result.put).toEqual([{ ...held(notification(10, true)), action: { status: 'sending', kind: 'confirm', value: 'Y' } }]);
    expect(result.decisions).toEqual([]);
  });

  it('an item already showing the state of its answer (e.g. waiting to retry) keeps it', () => {
    const waiting = { status: 'waiting', kind: 'answer', value: 'Thanks', message: 'The portal is busy' } as const;
    const item = held(notification(60), waiting);
    const result = reconcile(known([item], { outbox: [queued(60, 'answer', 'pending')] }), read([notification(60)]), NOW, noRender);
    expect(result.put).toEqual([]);
  });
});

describe('reconcile: answers whose item left the portal', () => {
  it.each([
    // Sent and gone: the portal deleted it because our answer went through; we missed the reply.
    ['a sent confirm', 10, 'confirm', 'sent', false],
    // Never sent, yet gone: answered or deleted elsewhere (the web UI, another device).
    ['a pending confirm', 10, 'confirm', 'pending', true],
    // A quick reply does not remove its item; gone means it was deleted elsewhere.
    ['a sent quick reply', 60, 'answer', 'sent', true],
  ] as const)('%s settles as done and its item shows the outcome', (_what, id, kind, phase, gone) => {
    const entry = queued(id, kind, phase);
    const item = held(notification(id, kind === 'confirm'));
    const result = reconcile(known(inboxWith(item), { outbox: [entry] }), confirmsAndTop(), NOW, noRender);
    const outcome = { status: 'done', kind, value: entry.value, resultMessages: [], gone };
    expect(result.decisions).toEqual([{ entry, outcome }]);
    // Just answered: it stays a while with the outcome instead of vanishing.
    expect(result.put).toEqual([{ ...item, action: outcome }]);
    expect(result.removed).toEqual([]);
  });

  it('a quick reply on a confirm that accepts replies settles by what the read saw of the confirms', () => {
    // CAN_ANSWER=Y on a confirm (model.ts): the item's own section decides, not the kind of answer.
    const entry = queued(10, 'answer', 'sent');
    const item = held(notification(10, true, { canAnswer: true }));
    const result = reconcile(known(inboxWith(item), { outbox: [entry] }), confirmsAndTop(), NOW, noRender);
    expect(result.decisions).toEqual([{ entry, outcome: { status: 'done', kind: 'answer', value: 'Thanks', resultMessages: [], gone: true } }]);
  });

  it('after a restart (empty inbox) a confirm of unknown fate that is gone settles from what the read covered', () => {
    const confirm = queued(10, 'confirm', 'sent');
    // A quick reply on regular item 20: the read stopped at 50, so 20 may well still be there.
    const reply = queued(20, 'answer', 'sent');
    const result = reconcile(known([], { outbox: [confirm, reply], highWaterMark: 60 }), confirmsAndTop(), NOW, noRender);
    expect(result.decisions).toEqual([{ entry: confirm, outcome: { status: 'done', kind: 'confirm', value: 'Y', resultMessages: [], gone: false } }]);
    // Only what was read enters the inbox; neither answer has an item to show it on.
    expect(result.put.map((item) => [item.id, item.action])).toEqual([
      [12, undefined],
      [50, undefined],
    ]);
  });

  it('a read that only looked at the newest confirms settles nothing it did not reach', () => {
    // Quick look: confirms from 30 up (more beyond), regular items from 50 up.
    const fetched = read([notification(31, true), notification(30, true), notification(50)], { confirmsComplete: false, regularCoveredFrom: 50 });
    const outbox = [queued(20, 'confirm', 'sent'), queued(40, 'answer', 'sent')];
    const inbox = [held(notification(20, true)), held(notification(30, true)), held(notification(31, true)), held(notification(40)), held(notification(50))];
    const result = reconcile(known(inbox, { outbox }), fetched, NOW, noRender);
    expect(result.decisions).toEqual([]);
    expect(result.removed).toEqual([]);
    // Both answers still show as sending.
    expect(result.put.map((item) => [item.id, item.action?.status])).toEqual([
      [20, 'sending'],
      [40, 'sending'],
    ]);
  });

  it('a read of the newest confirms leaves older confirms alone even when it read older regular items', () => {
    // Two new confirms (30, 31) fill the first page; the regular section holds only old items.
    const fetched = read([notification(31, true), notification(30, true), notification(9), notification(8)], { confirmsComplete: false, regularCoveredFrom: 0 });
    const inbox = [8, 9, 30, 31].map((id) => held(notification(id, id >= 30))).concat(held(notification(20, true)));
    const result = reconcile(known(inbox), fetched, NOW, noRender);
    expect(result.removed).toEqual([]);
  });
});

describe('reconcile: how long an answered item stays', () => {
  const done: ActionState = { status: 'done', kind: 'confirm', value: 'Y', resultMessages: ['You accepted'], gone: false };
  const afterAnswer = (action: Parameters<typeof held>[1], answeredAgoMs: number) => {
    const item = held(notification(10, true), action);
    return reconcile(known([item], { settledAt: new Map([[10, NOW - answeredAgoMs]]) }), read([]), NOW, noRender);
  };

  it('an answered confirm the portal deleted stays with the answer just under five minutes', () => {
    expect(afterAnswer(done, RESULT_VISIBLE_MS - 1).removed).toEqual([]);
  });

  it.each([
    ['five minutes after the answer', RESULT_VISIBLE_MS],
    ['an hour after the answer', 3_600_000],
  ])('it goes %s', (_when, ago) => {
    expect(afterAnswer(done, ago).removed).toEqual([10]);
  });

  it('an answer the portal refused does not keep a deleted item', () => {
    expect(afterAnswer({ status: 'failed', kind: 'confirm', value: 'Y', message: 'Access denied' }, 1_000).removed).toEqual([10]);
  });

  it('an item answered before the inbox held it (right after a restart) goes as soon as it leaves', () => {
    // The answer settled while the inbox was empty, so the item was read later without a state.
    expect(afterAnswer(undefined, 1_000).removed).toEqual([10]);
  });
});
