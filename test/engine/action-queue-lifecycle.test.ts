/**
 * The action queue (engine/action-queue.ts) over time: marks and dismissals the portal put off go
 * again and ones it refused or did are not repeated; whether a batch left an action to send again
 * at once (the engine then retries soon instead of waiting an interval); stopping answers every
 * waiting click while keeping its action for the next start; actions restored from disk after a
 * restart settle with nobody waiting; what the window lists as still queued; and the soak's
 * orphaned-waiter check.
 */
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../main/core/engine/state';
import { REFRESH, actionIdOf, answer, flushOf, portalSays, queueRig, settledYet, type QueueRig } from './action-queue-kit';

function markEverything(rig: QueueRig): void {
  rig.queue.markRead(1);
  rig.queue.markRead(2);
  rig.queue.markAllRead();
  rig.queue.dismiss(3);
}

describe('ActionQueue: marks and dismissals', () => {
  // Per-command errors as the batch reads them (portal/batch.ts): a transient fault, the rate
  // limit or a method's used-up operating time means "not now"; ACCESS_DENIED and the like mean
  // "never". A sub-call over its operating limit fails inside the batch's HTTP 200 with
  // OPERATION_TIME_LIMIT (real-portal-notes.md §3).
  it.each([
    ['read', 'ERROR_CORE', { read: { method: 'im.notify.read.list', params: { IDS: [1, 2], ACTION: 'Y' } } }],
    ['read', 'OPERATION_TIME_LIMIT', { read: { method: 'im.notify.read.list', params: { IDS: [1, 2], ACTION: 'Y' } } }],
    ['readAll', 'QUERY_LIMIT_EXCEEDED', { readAll: { method: 'im.notify.read.all' } }],
    ['dismiss', 'ERROR_CORE', { dismiss: { method: 'im.notify.delete', params: { ID: [3] } } }],
  ])('the portal put off %s (%s): only that goes again with the next batch', (key, code, again) => {
    const rig = queueRig();
    markEverything(rig);
    const result = rig.queue.flushAnswered(flushOf(rig), answer({ read: true, readAll: true, dismiss: true }, { [key]: portalSays(code) }));
    expect(result).toEqual({ choresDeferred: true });
    expect(rig.queue.hasWork()).toBe(true);
    expect(flushOf(rig).commands).toEqual({ ...again, refresh: REFRESH });
  });

  it('done or refused for good: none is sent again', () => {
    const done = queueRig();
    markEverything(done);
    expect(done.queue.flushAnswered(flushOf(done), answer({ read: true, readAll: true, dismiss: true }))).toEqual({ choresDeferred: false });
    expect(done.queue.takeFlush(REFRESH)).toBeUndefined();

    const refused = queueRig();
    markEverything(refused);
    const denied = portalSays('ACCESS_DENIED', 'Access denied!');
    expect(refused.queue.flushAnswered(flushOf(refused), answer({}, { read: denied, readAll: denied, dismiss: denied }))).toEqual({ choresDeferred: false });
    expect(refused.queue.hasWork()).toBe(false);
  });

  it('a mark put off joins the marks made since, in one command', () => {
    const rig = queueRig();
    rig.queue.markRead(1);
    const flush = flushOf(rig);
    rig.queue.markRead(7);
    rig.queue.flushAnswered(flush, answer({}, { read: portalSays('ERROR_CORE') }));
    expect(flushOf(rig).commands.read?.params).toEqual({ IDS: [7, 1], ACTION: 'Y' });
  });
});

describe('ActionQueue: does the batch leave an action to send again at once?', () => {
  it('no batch, or every action settled: no; even when a click arrived meanwhile (that one waits for its own turn)', () => {
    const rig = queueRig();
    expect(rig.queue.putOff(undefined)).toBe(false);
    void rig.queue.enqueue(1, 'confirm', 'Y');
    void rig.queue.enqueue(2, 'confirm', 'N');
    const flush = flushOf(rig);
    void rig.queue.enqueue(3, 'answer', 'new click');
    rig.queue.flushAnswered(flush, answer({ [flush.entries[0]!.actionId]: { result_message: [] }, [flush.entries[1]!.actionId]: { result_message: [] } }));
    expect(rig.queue.putOff(flush)).toBe(false);
  });

  it('one of several put off, with another click queued meanwhile: yes', () => {
    const rig = queueRig();
    void rig.queue.enqueue(1, 'confirm', 'Y');
    void rig.queue.enqueue(2, 'confirm', 'N');
    const flush = flushOf(rig);
    void rig.queue.enqueue(3, 'answer', 'new click');
    rig.queue.flushAnswered(flush, answer({ [actionIdOf(rig, 1)]: { result_message: [] } }, { [actionIdOf(rig, 2)]: portalSays('QUERY_LIMIT_EXCEEDED') }));
    expect(rig.queue.putOff(flush)).toBe(true);
  });
});

describe('ActionQueue: stopping and starting again', () => {
  it('stopping answers every waiting click, saying the answer is kept; the next start sends it', async () => {
    const rig = queueRig();
    const confirm = rig.queue.enqueue(1, 'confirm', 'Y');
    flushOf(rig);
    const reply = rig.queue.enqueue(2, 'answer', 'hi');
    rig.queue.stop();
    expect([await settledYet(confirm), await settledYet(reply)]).toEqual([true, true]);
    const message = 'The app stopped before the portal answered; the answer is kept and sent on the next start.';
    expect(await confirm).toEqual({ status: 'failed', kind: 'confirm', value: 'Y', message });
    expect(await reply).toEqual({ status: 'failed', kind: 'answer', value: 'hi', message });
    expect(rig.onDisk().map((entry) => [entry.notificationId, entry.phase])).toEqual([[1, 'sent'], [2, 'pending']]);
    expect(rig.queue.orphanedWaiters()).toBe(0);
  });

  it('actions restored from disk are sent and settled with nobody waiting, stop cleanly, and a new click joins them', async () => {
    const first = queueRig();
    void first.queue.enqueue(1, 'answer', 'hi');
    void first.queue.enqueue(2, 'confirm', 'Y');
    first.queue.stop();

    const restarted = queueRig(first.store);
    expect(() => restarted.queue.stop()).not.toThrow();
    const joined = restarted.queue.join(2, 'confirm');
    const flush = flushOf(restarted);
    expect(flush.entries.map((entry) => entry.notificationId)).toEqual([1, 2]);
    restarted.queue.flushAnswered(flush, answer({ [actionIdOf(restarted, 1)]: { result_message: ['Sent'] }, [actionIdOf(restarted, 2)]: { result_message: [] } }));
    expect(restarted.settled.map(([id, outcome]) => [id, outcome.status])).toEqual([[1, 'done'], [2, 'done']]);
    expect(await joined).toMatchObject({ status: 'done', kind: 'confirm', value: 'Y' });
    expect(restarted.onDisk()).toEqual([]);
  });
});

describe('ActionQueue: what the window lists as still queued', () => {
  const confirm = { id: 1, kind: 'confirm', title: 'Leave request', text: 'Ann asks for leave', buttons: [{ value: 'Y', label: 'Accept' }, { value: 'N', label: 'Decline' }] };
  const untitled = { id: 2, kind: 'plain', title: '', text: '[B]Can you[/B] call me?', buttons: [] };
  const items = new Map([confirm, untitled, { ...confirm, id: 3 }].map((item) => [item.id, item as unknown as InboxItem]));

  it('the pressed button’s label, the item’s title or text, and the raw value when the item or button is gone', () => {
    const rig = queueRig();
    void rig.queue.enqueue(1, 'confirm', 'N');
    void rig.queue.enqueue(2, 'answer', 'In five minutes');
    void rig.queue.enqueue(3, 'confirm', 'MAYBE');
    void rig.queue.enqueue(4, 'confirm', 'Y');
    const createdAt = rig.clock.now();
    expect(rig.queue.pending((id) => items.get(id))).toEqual([
      { notificationId: 1, kind: 'confirm', value: 'Decline', title: 'Leave request', createdAt },
      { notificationId: 2, kind: 'answer', value: 'In five minutes', title: 'Can you call me?', createdAt },
      { notificationId: 3, kind: 'confirm', value: 'MAYBE', title: 'Leave request', createdAt },
      { notificationId: 4, kind: 'confirm', value: 'Y', title: '', createdAt },
    ]);
  });
});

describe('ActionQueue: the orphaned-waiter check (soak invariant: every click settles)', () => {
  it('counts none while clicks wait or after they settle, and one whose action left the outbox unsettled', () => {
    const rig = queueRig();
    void rig.queue.enqueue(1, 'confirm', 'Y');
    void rig.queue.enqueue(2, 'confirm', 'N');
    void rig.queue.join(1, 'confirm');
    expect(rig.queue.orphanedWaiters()).toBe(0);
    rig.queue.settle(rig.queue.find(1)!, { status: 'done', kind: 'confirm', value: 'Y', resultMessages: [], gone: true });
    expect(rig.queue.orphanedWaiters()).toBe(0);
    // What a bug bypassing settle would leave behind: the check must see it.
    rig.outbox.remove(actionIdOf(rig, 2));
    expect(rig.queue.orphanedWaiters()).toBe(1);
  });
});
