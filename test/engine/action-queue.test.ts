/**
 * The action queue (engine/action-queue.ts) between a click and the portal: a click is on disk and
 * shown as "sending" before any request; a flush sends each queued action once, at most 49 with the
 * refresh in one batch (bitrix24-notify-api.md §4.5: 50 commands); the portal's answer to each
 * command decides what the user sees: done (with the module's words as plain text,
 * real-portal-notes.md §1), refused, put off and sent again, or of unknown fate.
 */
import { describe, expect, it } from 'vitest';
import { PortalError } from '../../main/core/portal/errors';
import { REFRESH, actionIdOf, answer, flushOf, portalSays, queueRig, settledYet } from './action-queue-kit';

describe('ActionQueue: a click on its way', () => {
  it('is on disk and shown as sending before any request; a second click joins it, another kind does not', async () => {
    const rig = queueRig();
    expect(rig.queue.hasWork()).toBe(false);
    const click = rig.queue.enqueue(10, 'confirm', 'Y');
    expect(rig.shown).toEqual([[10, { status: 'sending', kind: 'confirm', value: 'Y' }]]);
    expect(rig.onDisk()).toEqual([expect.objectContaining({ notificationId: 10, kind: 'confirm', value: 'Y', phase: 'pending', attempts: 0, createdAt: rig.clock.now() })]);
    expect(rig.queue.find(10)).toMatchObject({ notificationId: 10, kind: 'confirm', value: 'Y' });
    expect(rig.queue.find(11)).toBeUndefined();
    expect(rig.queue.hasWork()).toBe(true);

    const again = rig.queue.join(10, 'confirm');
    expect(again).toBeDefined();
    // A reply to an item whose confirm is queued, or a click on an item with nothing queued, starts afresh.
    expect(rig.queue.join(10, 'answer')).toBeUndefined();
    expect(rig.queue.join(11, 'confirm')).toBeUndefined();

    const flush = flushOf(rig);
    rig.queue.flushAnswered(flush, answer({ [actionIdOf(rig, 10)]: { result_message: ['You chose Accept'] } }));
    const outcome = { status: 'done', kind: 'confirm', value: 'Y', resultMessages: ['You chose Accept'], gone: false };
    expect(await click).toEqual(outcome);
    expect(await again).toEqual(outcome);
    expect(rig.settled).toEqual([[10, outcome]]);
    expect(rig.onDisk()).toEqual([]);
  });

  it('a flush sends each queued action once with the refresh last; a sent action is no longer work', () => {
    const rig = queueRig();
    void rig.queue.enqueue(10, 'confirm', 'N');
    void rig.queue.enqueue(20, 'answer', 'On my way');
    const [confirmId, answerId] = [actionIdOf(rig, 10), actionIdOf(rig, 20)];
    const flush = flushOf(rig);
    // No marks or dismissals were made: the batch carries none (not even empty ones).
    expect(Object.keys(flush.commands)).toEqual([confirmId, answerId, 'refresh']);
    expect(flush.commands[confirmId]).toEqual({ method: 'im.notify.confirm', params: { NOTIFY_ID: 10, NOTIFY_VALUE: 'N' } });
    expect(flush.commands[answerId]).toEqual({ method: 'im.notify.answer', params: { NOTIFY_ID: 20, ANSWER_TEXT: 'On my way' } });
    expect(flush.commands.refresh).toBe(REFRESH);
    // The portal may have them now: a restart verifies instead of resending.
    expect(rig.onDisk().map((entry) => [entry.phase, entry.attempts])).toEqual([['sent', 1], ['sent', 1]]);
    expect(rig.queue.hasWork()).toBe(false);
    expect(rig.queue.takeFlush(REFRESH)).toBeUndefined();
  });

  it('marks and dismissals ride ahead of the refresh, so the refresh reflects them', () => {
    const rig = queueRig();
    rig.queue.markRead(1);
    rig.queue.markRead(2);
    rig.queue.markAllRead();
    rig.queue.dismiss(3);
    expect(rig.queue.hasWork()).toBe(true);
    const flush = flushOf(rig);
    expect(flush.commands).toEqual({
      read: { method: 'im.notify.read.list', params: { IDS: [1, 2], ACTION: 'Y' } },
      readAll: { method: 'im.notify.read.all' },
      dismiss: { method: 'im.notify.delete', params: { ID: [3] } },
      refresh: REFRESH,
    });
    expect(Object.keys(flush.commands).at(-1)).toBe('refresh');
    expect(rig.queue.hasWork()).toBe(false);
  });

  it('sends at most 49 actions with the refresh; the rest follow in click order with the next batch', () => {
    const rig = queueRig();
    for (let id = 1; id <= 60; id++) void rig.queue.enqueue(id, 'confirm', 'Y');
    const first = flushOf(rig);
    expect(Object.keys(first.commands)).toHaveLength(50);
    expect(first.entries.map((entry) => entry.notificationId)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    expect(rig.queue.hasWork()).toBe(true);
    const second = flushOf(rig);
    expect(second.entries.map((entry) => entry.notificationId)).toEqual(Array.from({ length: 11 }, (_, i) => i + 50));
    expect(rig.queue.hasWork()).toBe(false);
  });
});

describe('ActionQueue: the portal’s answer to each command', () => {
  it('done: the module’s messages as plain text (empty and non-text ones dropped), or "already gone"', async () => {
    const rig = queueRig();
    const clicks = [rig.queue.enqueue(1, 'confirm', 'Y'), rig.queue.enqueue(2, 'confirm', 'Y'), rig.queue.enqueue(3, 'answer', 'ok'), rig.queue.enqueue(4, 'confirm', 'N')];
    const ids = [1, 2, 3, 4].map((id) => actionIdOf(rig, id));
    rig.queue.flushAnswered(
      flushOf(rig),
      answer({
        [ids[0]!]: { result_message: ['You chose <b>&quot;Accept&quot;</b>', '', 7, '<br>'] },
        // Not found, not yours, or already answered (bitrix24-notify-api.md §2.2): HTTP 200, result_message false.
        [ids[1]!]: { result_message: false },
        // Older docs showed a bare `true`; a module may also answer with nothing at all.
        [ids[2]!]: true,
        [ids[3]!]: null,
      }),
    );
    expect(await Promise.all(clicks)).toEqual([
      { status: 'done', kind: 'confirm', value: 'Y', resultMessages: ['You chose "Accept"'], gone: false },
      { status: 'done', kind: 'confirm', value: 'Y', resultMessages: [], gone: true },
      { status: 'done', kind: 'answer', value: 'ok', resultMessages: [], gone: false },
      { status: 'done', kind: 'confirm', value: 'N', resultMessages: [], gone: false },
    ]);
    expect(rig.onDisk()).toEqual([]);
  });

  it('refused: the click fails with the portal’s words and leaves the queue', async () => {
    const rig = queueRig();
    const click = rig.queue.enqueue(5, 'confirm', 'Y');
    const flush = flushOf(rig);
    rig.queue.flushAnswered(flush, answer({}, { [actionIdOf(rig, 5)]: portalSays('ACCESS_DENIED', 'Access denied!') }));
    const failed = { status: 'failed', kind: 'confirm', value: 'Y', message: 'The portal refused the request: Access denied!.' };
    expect(await click).toEqual(failed);
    expect(rig.shown.at(-1)).toEqual([5, failed]);
    expect(rig.onDisk()).toEqual([]);
    expect(rig.queue.putOff(flush)).toBe(false);
  });

  it('put off (rate limit): waits showing why, goes again with the next batch, and then settles', async () => {
    const rig = queueRig();
    const confirm = rig.queue.enqueue(6, 'confirm', 'Y');
    const reply = rig.queue.enqueue(7, 'answer', 'later');
    const [confirmId, replyId] = [actionIdOf(rig, 6), actionIdOf(rig, 7)];
    const flush = flushOf(rig);
    const limit = portalSays('QUERY_LIMIT_EXCEEDED', 'Too many requests');
    rig.queue.flushAnswered(flush, answer({}, { [confirmId]: limit, [replyId]: limit }));
    expect(rig.shown.slice(-2)).toEqual([
      [6, { status: 'waiting', kind: 'confirm', value: 'Y', message: limit.userMessage }],
      [7, { status: 'waiting', kind: 'answer', value: 'later', message: limit.userMessage }],
    ]);
    expect(await settledYet(confirm)).toBe(false);
    expect(rig.queue.hasWork()).toBe(true);
    expect(rig.queue.putOff(flush)).toBe(true);
    const next = flushOf(rig);
    expect(Object.keys(next.commands)).toEqual([confirmId, replyId, 'refresh']);
    expect(rig.onDisk().map((entry) => entry.attempts)).toEqual([2, 2]);
    rig.queue.flushAnswered(next, answer({ [confirmId]: { result_message: [] }, [replyId]: { result_message: [] } }));
    expect((await confirm).status).toBe('done');
    expect((await reply).status).toBe('done');
  });

  it('unknown fate: a confirm waits for the refresh to verify it (never resent), a reply fails asking the user to check', async () => {
    const rig = queueRig();
    const confirm = rig.queue.enqueue(8, 'confirm', 'Y');
    const reply = rig.queue.enqueue(9, 'answer', 'Sure');
    const flush = flushOf(rig);
    const fault = portalSays('ERROR_CORE', 'Internal error');
    rig.queue.flushAnswered(flush, answer({}, { [actionIdOf(rig, 8)]: fault, [actionIdOf(rig, 9)]: fault }));
    expect(rig.shown).toContainEqual([8, { status: 'waiting', kind: 'confirm', value: 'Y', message: fault.userMessage }]);
    expect(await settledYet(confirm)).toBe(false);
    expect(await reply).toEqual({ status: 'failed', kind: 'answer', value: 'Sure', message: 'The portal may not have received this reply. Check the portal, or send it again.' });
    expect(rig.onDisk()).toEqual([expect.objectContaining({ notificationId: 8, phase: 'sent' })]);
    expect(rig.queue.hasWork()).toBe(false);
    expect(rig.queue.putOff(flush)).toBe(false);
  });
});

describe('ActionQueue: the whole batch failed', () => {
  it('not processed (the portal refused the request): everything waits and goes again, marks included', async () => {
    const rig = queueRig();
    const confirm = rig.queue.enqueue(1, 'confirm', 'Y');
    void rig.queue.enqueue(2, 'answer', 'hi');
    rig.queue.markRead(5);
    rig.queue.markAllRead();
    rig.queue.dismiss(6);
    const flush = flushOf(rig);
    const limit = portalSays('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503);
    rig.queue.flushFailed(flush, limit);
    expect(rig.shown.slice(-2)).toEqual([
      [1, { status: 'waiting', kind: 'confirm', value: 'Y', message: limit.userMessage }],
      [2, { status: 'waiting', kind: 'answer', value: 'hi', message: limit.userMessage }],
    ]);
    expect(await settledYet(confirm)).toBe(false);
    expect(rig.queue.putOff(flush)).toBe(true);
    expect(Object.keys(flushOf(rig).commands)).toEqual(['read', 'readAll', 'dismiss', actionIdOf(rig, 1), actionIdOf(rig, 2), 'refresh']);
  });

  it('timed out (may have arrived): the confirm waits to be verified, the reply fails', async () => {
    const rig = queueRig();
    const confirm = rig.queue.enqueue(1, 'confirm', 'Y');
    const reply = rig.queue.enqueue(2, 'answer', 'hi');
    const flush = flushOf(rig);
    const timeout = new PortalError({ kind: 'transient', code: 'TIMEOUT', delivery: 'unknown' });
    rig.queue.flushFailed(flush, timeout);
    expect(rig.shown.at(-2)).toEqual([1, { status: 'waiting', kind: 'confirm', value: 'Y', message: timeout.userMessage }]);
    expect(await settledYet(confirm)).toBe(false);
    expect((await reply).status).toBe('failed');
    expect(rig.onDisk()).toEqual([expect.objectContaining({ notificationId: 1, phase: 'sent' })]);
  });

  it('aborted by stopping: nothing is shown or settled, the actions stay on disk as sent, marks are kept', async () => {
    const rig = queueRig();
    const confirm = rig.queue.enqueue(1, 'confirm', 'Y');
    const reply = rig.queue.enqueue(2, 'answer', 'hi');
    rig.queue.dismiss(6);
    const flush = flushOf(rig);
    const shownBefore = rig.shown.length;
    rig.queue.flushFailed(flush, new DOMException('This operation was aborted', 'AbortError'));
    expect(rig.shown).toHaveLength(shownBefore);
    expect(await settledYet(confirm)).toBe(false);
    expect(await settledYet(reply)).toBe(false);
    expect(rig.onDisk().map((entry) => entry.phase)).toEqual(['sent', 'sent']);
    expect(flushOf(rig).commands).toEqual({ dismiss: { method: 'im.notify.delete', params: { ID: [6] } }, refresh: REFRESH });
  });
});
