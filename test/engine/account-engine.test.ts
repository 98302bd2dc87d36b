/**
 * The engine against the portal simulator over loopback HTTP, with a fake clock driving the
 * schedule: announcements exactly once across restarts, clicks exactly once through outages and
 * restarts, reconciliation, error states, and one request per poll.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine, ActionRefused } from '../../main/core/engine/account-engine';
import { PortalClient, type LeakyBucketOptions } from '../../main/core/portal';
import type { Storage } from '../../main/core/storage/storage';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';
import { recordEvents, stateWhere, tempStorage, nextEvent } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(options: PortalSimOptions = {}): Promise<PortalSim> {
  const portal = await startPortalSim(options);
  cleanups.push(() => portal.close());
  return portal;
}

function engineFor(portal: PortalSim, storage: Storage, clock: FakeClock, bucket?: LeakyBucketOptions): AccountEngine {
  const client = new PortalClient({
    credentials: simWebhookCredentials(portal),
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    maxAttempts: 2,
    ...(bucket ? { bucket } : {}),
  });
  const engine = new AccountEngine({ accountId: 'main', client, storage, clock });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  return engine;
}

/** Starts the engine and waits for its first exchange with the portal. */
async function started(engine: AccountEngine): Promise<void> {
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
}

/** Lets the schedule's timer fire and waits for the resulting exchange. */
async function nextPoll(engine: AccountEngine, clock: FakeClock, ms = engine.pollIntervalMs): Promise<boolean> {
  const polled = nextEvent(engine, 'polled');
  await clock.advance(ms);
  const [ok] = await polled;
  return ok;
}

function restRequests(portal: PortalSim): number {
  return portal.requestLog.filter((entry) => entry.restMethod !== 'oauth.token').length;
}

/** im.notify.confirm calls that reached the portal, alone or inside a batch. */
function confirmCommandsSent(portal: PortalSim): number {
  return portal.requestLog.reduce(
    (sum, entry) => sum + (entry.restMethod === 'im.notify.confirm' ? 1 : 0) + (entry.batchCommands ?? []).filter((cmd) => cmd.split('?')[0]?.toLowerCase() === 'im.notify.confirm').length,
    0,
  );
}

describe('AccountEngine: polling and announcing', () => {
  it('announces nothing old on the first run, then each new notification exactly once, across restarts', async () => {
    const portal = await sim();
    portal.addPersonal({ text: 'Old news' });
    const store = tempStorage();
    const clock = new FakeClock();

    let engine = engineFor(portal, store.open(), clock);
    let events = recordEvents(engine);
    await started(engine);
    expect(engine.state.inbox).toHaveLength(1);
    expect(events.announced).toEqual([]);

    const invite = portal.addConfirm({ title: 'Invitation to join group &quot;Marketing&quot;', text: 'Join [URL=/workgroups/group/12/]Marketing[/URL]' });
    await nextPoll(engine, clock);
    await nextPoll(engine, clock);
    expect(events.announced).toEqual([invite.id]);
    expect(engine.state.inbox[0]).toMatchObject({ id: invite.id, kind: 'confirm', title: 'Invitation to join group "Marketing"' });

    // Restart with the same storage: nothing is announced again; what arrived meanwhile is, once.
    await engine.stop();
    const whileClosed = [portal.addSystem({ text: 'Backup done' }).id, portal.addConfirm({ text: 'Meeting at 10' }).id];
    engine = engineFor(portal, store.open(), clock);
    events = recordEvents(engine);
    await started(engine);
    await nextPoll(engine, clock);
    expect(events.announced.sort()).toEqual(whileClosed.sort());
    expect(store.problems).toEqual([]);
  });

  it('costs one HTTP request per poll in the steady state', async () => {
    const portal = await sim();
    portal.addConfirm({ text: 'Meeting' });
    portal.addPersonal({ text: 'Hello' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    const before = restRequests(portal);
    for (let i = 0; i < 5; i += 1) expect(await nextPoll(engine, clock)).toBe(true);
    expect(restRequests(portal) - before).toBe(5);
    expect(portal.requestLog.slice(-5).every((entry) => entry.restMethod === 'im.notify.get')).toBe(true);
  });

  it('reads further pages only to catch up, at most four per poll', async () => {
    const portal = await sim();
    portal.addPersonal({ text: 'seen before' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    const events = recordEvents(engine);
    const burst = Array.from({ length: 120 }, (_, i) => portal.addPersonal({ text: `n${i}` }).id);
    const before = restRequests(portal);
    await nextPoll(engine, clock);
    expect(restRequests(portal) - before).toBe(3); // 50 + 50 + 20 new, then the known one
    expect(events.announced.sort((a, b) => a - b)).toEqual(burst);
    const flood = Array.from({ length: 300 }, (_, i) => portal.addPersonal({ text: `f${i}` }).id);
    const beforeFlood = restRequests(portal);
    await nextPoll(engine, clock);
    expect(restRequests(portal) - beforeFlood).toBe(4);
    expect(events.announced).toContain(flood.at(-1));
  });

  it('announces a flood bigger than one poll’s pages over the next polls, each item once, and survives a restart in between', async () => {
    const portal = await sim();
    portal.addPersonal({ text: 'seen before' });
    const clock = new FakeClock();
    const store = tempStorage();
    let engine = engineFor(portal, store.open(), clock);
    await started(engine);
    const announced: number[] = [];
    engine.on('announced', (items) => announced.push(...items.map((item) => item.id)));
    const flood = Array.from({ length: 320 }, (_, i) => portal.addPersonal({ text: `f${i}` }).id);
    await nextPoll(engine, clock);
    // Four pages: the 200 newest now; the 120 older ones are remembered as unread.
    expect(announced).toHaveLength(200);
    expect(Math.min(...announced)).toBe(flood[120]);

    // The app restarts before the next poll: the unread range was stored.
    await engine.stop();
    engine = engineFor(portal, store.open(), clock);
    engine.on('announced', (items) => announced.push(...items.map((item) => item.id)));
    await started(engine);
    await nextPoll(engine, clock);
    expect([...announced].sort((a, b) => a - b)).toEqual(flood);
    expect(new Set(announced).size).toBe(announced.length);
    // After the restart the inbox holds the first page and what was caught up.
    expect(engine.state.inbox.map((item) => item.id)).toEqual(expect.arrayContaining([...flood.slice(0, 120), ...flood.slice(-50)]));
    // Nothing left to catch up: later polls are one request each again.
    const before = restRequests(portal);
    await nextPoll(engine, clock);
    expect(restRequests(portal) - before).toBe(1);
  });

  it('still announces ordinary news behind more open confirms than a poll’s pages hold, and drops no confirm', async () => {
    const portal = await sim();
    const confirms = Array.from({ length: 210 }, (_, i) => portal.addConfirm({ text: `Join ${i}?` }).id);
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    const events = recordEvents(engine);
    const news = portal.addPersonal({ text: 'Behind the wall of confirms' });
    await nextPoll(engine, clock);
    expect(events.announced).toEqual([news.id]);
    expect(engine.state.inbox.map((item) => item.id)).toContain(news.id);
    // The 60 oldest confirms were not read this poll, and are not taken for gone.
    expect(events.removed).toEqual([]);
    const inboxConfirms = engine.state.inbox.filter((item) => item.kind === 'confirm').map((item) => item.id);
    expect(inboxConfirms).toHaveLength(150);
    expect(confirms.slice(-150).every((id) => inboxConfirms.includes(id))).toBe(true);
  });

  it('keeps what the first page brought when a later page fails, and reads the rest later', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    const events = recordEvents(engine);
    const news = Array.from({ length: 120 }, (_, i) => portal.addPersonal({ text: `n${i}` }).id);
    // The click's batch brings the first page; the plain page requests after it fail.
    portal.injectFault({ kind: 'status', status: 500 }, { restMethod: 'im.notify.get', times: Infinity });
    const polled = nextEvent(engine, 'polled');
    const outcome = engine.confirm(invite.id, 'Y');
    const [ok] = await polled;
    expect(ok).toBe(true);
    await expect(outcome).resolves.toMatchObject({ status: 'done' });
    expect(events.announced).toEqual(news.slice(-50).reverse());

    portal.clearFaults();
    await nextPoll(engine, clock);
    expect([...events.announced].sort((a, b) => a - b)).toEqual(news);
  });

  it('drops a confirm answered elsewhere on the next poll and follows the unread counter', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    portal.addPersonal({ text: 'Hi' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    const events = recordEvents(engine);
    await started(engine);
    expect(engine.state.unreadCount).toBe(2);
    portal.answerInBrowser(invite.id, 'Y');
    await nextPoll(engine, clock);
    expect(engine.state.inbox.map((item) => item.id)).not.toContain(invite.id);
    expect(events.removed).toEqual([invite.id]);
    expect(engine.state.unreadCount).toBe(1);
    for (let i = 0; i < 120; i += 1) portal.addPersonal({ text: `n${i}` });
    await nextPoll(engine, clock);
    expect(engine.state.unreadCount).toBe(100); // the portal's cap: "99+"
  });

  it('stops polling on auth and scope errors with the right state, until the user acts', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    portal.setScopes(['user']);
    expect(await nextPoll(engine, clock)).toBe(false);
    expect(engine.state.connection).toMatchObject({ status: 'scope-missing', message: expect.stringMatching(/“im”/) });
    const requests = restRequests(portal);
    await clock.advance(60 * 60_000);
    expect(restRequests(portal)).toBe(requests);

    portal.setScopes(['im']);
    const recovered = nextEvent(engine, 'polled');
    engine.pollNow();
    expect(await recovered).toEqual([true]);
    expect(engine.state.connection).toEqual({ status: 'ok' });

    portal.injectFault({ kind: 'error', code: 'INVALID_CREDENTIALS', description: 'Invalid request credentials', status: 401 });
    expect(await nextPoll(engine, clock)).toBe(false);
    expect(engine.state.connection).toMatchObject({ status: 'auth-needed' });
  });

  it('backs off on transient errors up to five minutes and returns to the interval on success', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    portal.injectFault({ kind: 'status', status: 502, body: 'bad gateway' }, { times: Infinity });
    expect(await nextPoll(engine, clock, 30_000)).toBe(false);
    expect(engine.state.connection).toMatchObject({ status: 'error' });
    expect(await nextPoll(engine, clock, 30_000)).toBe(false); // 1st retry after 30 s
    expect(await nextPoll(engine, clock, 60_000)).toBe(false); // then 60 s
    expect(await nextPoll(engine, clock, 120_000)).toBe(false); // 120 s
    expect(await nextPoll(engine, clock, 240_000)).toBe(false); // 240 s
    const requests = restRequests(portal);
    await clock.advance(299_000);
    expect(restRequests(portal)).toBe(requests); // capped at 300 s, not yet
    portal.clearFaults();
    expect(await nextPoll(engine, clock, 1_000)).toBe(true);
    expect(await nextPoll(engine, clock, 30_000)).toBe(true);
  });

  it('pauses while suspended or offline and polls at once on resume', async () => {
    const portal = await sim();
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    engine.setSystemState({ suspended: true });
    expect(engine.state.connection).toEqual({ status: 'paused' });
    const requests = restRequests(portal);
    await clock.advance(10 * 60_000);
    expect(restRequests(portal)).toBe(requests);
    engine.setSystemState({ online: false, suspended: false });
    expect(engine.state.connection).toEqual({ status: 'offline' });
    const resumed = nextEvent(engine, 'polled');
    engine.setSystemState({ online: true });
    expect(await resumed).toEqual([true]);
    expect(restRequests(portal)).toBe(requests + 1);
  });

  it('survives 1,000 random malformed im.notify.get payloads and keeps polling', async () => {
    // A thousand polls in a few seconds: both sides get a fast bucket, pacing is not the subject here.
    const fastBucket = { capacity: 5_000, drainPerSec: 5_000 };
    const portal = await sim({ bucket: fastBucket });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock, fastBucket);
    await started(engine);
    const notification = fc.record(
      {
        id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
        notify_type: fc.oneof(fc.constantFrom(1, 2, 4), fc.anything()),
        notify_buttons: fc.oneof(fc.string(), fc.constant('[{"COMMAND_PARAMS":"5|Y","TEXT":"A"}]'), fc.anything()),
        text: fc.anything(),
        date: fc.oneof(fc.string(), fc.integer()),
        params: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({ notifications: fc.oneof(fc.array(fc.oneof(notification, fc.jsonValue()), { maxLength: 8 }), fc.jsonValue()), total_unread_count: fc.jsonValue() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (result) => {
        portal.injectFault({ kind: 'status', status: 200, body: JSON.stringify({ result, time: {} }), contentType: 'application/json' });
        await nextPoll(engine, clock);
        for (const item of engine.state.inbox) expect(Number.isSafeInteger(item.id) && item.id > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
    portal.clearFaults();
    portal.addPersonal({ text: 'still alive' });
    expect(await nextPoll(engine, clock)).toBe(true);
    expect(engine.state.inbox.map((item) => item.text)).toContain('still alive');
  }, 120_000);
});

describe('AccountEngine: the confirm service', () => {
  it('sends one confirm for two clicks, in the same request as the refresh, and shows the portal’s answer', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join the group?', buttons: [{ title: 'Join', value: 'Y', type: 'accept' }, { title: 'No', value: 'N', type: 'cancel' }] });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    const events = recordEvents(engine);
    await started(engine);
    const before = restRequests(portal);
    const flushed = nextEvent(engine, 'polled');
    const first = engine.confirm(invite.id, 'Y', 'os-notification');
    const second = engine.confirm(invite.id, 'Y', 'window');
    expect(second).toBe(first);
    const outcome = await first;
    await flushed;
    expect(outcome).toMatchObject({ status: 'done', gone: false, resultMessages: [expect.stringContaining('Join')] });
    expect(portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y', via: 'rest' })]);
    expect(confirmCommandsSent(portal)).toBe(1);
    expect(restRequests(portal) - before).toBe(1); // confirm + refresh in one batch
    expect(engine.state.inbox.find((item) => item.id === invite.id)?.action).toMatchObject({ status: 'done' });
    expect(events.settled).toEqual([invite.id]);
    expect(() => engine.confirm(invite.id, 'N')).toThrow(ActionRefused);
    // After a while the answered item leaves the inbox.
    await nextPoll(engine, clock, 6 * 60_000);
    expect(engine.state.inbox.find((item) => item.id === invite.id)).toBeUndefined();
  });

  it('refuses unknown items, non-confirms and unknown values without sending anything', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    const note = portal.addPersonal({ text: 'FYI' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    const requests = restRequests(portal);
    const refusal = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ActionRefused) return error.reason;
        throw error;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(() => engine.confirm(999_999, 'Y'))).toBe('unknown-item');
    expect(refusal(() => engine.confirm(note.id, 'Y'))).toBe('not-a-confirm');
    expect(refusal(() => engine.confirm(invite.id, 'MAYBE'))).toBe('unknown-value');
    expect(refusal(() => engine.answer(invite.id, 'ok'))).toBe('cannot-answer');
    expect(restRequests(portal)).toBe(requests);
  });

  it('delivers a click made during an outage once the portal is back, exactly once', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Meeting at 10?' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    portal.injectFault({ kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 }, { times: 4 });
    const outcome = engine.confirm(invite.id, 'Y');
    await stateWhere(engine, (s) => s.inbox.find((i) => i.id === invite.id)?.action?.status === 'waiting', 'the click to wait');
    portal.injectFault({ kind: 'drop' }, { times: 2 });
    // Each advance covers the longest backoff (5 min), so it always brings exactly one exchange.
    while (portal.confirmLog.length === 0) await nextPoll(engine, clock, 5 * 60_000);
    await expect(outcome).resolves.toMatchObject({ status: 'done' });
    expect(portal.confirmLog).toHaveLength(1);
    await nextPoll(engine, clock);
    expect(portal.confirmLog).toHaveLength(1);
  });

  it('after a restart, verifies a click whose reply was lost instead of sending it again', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Meeting at 10?' });
    const store = tempStorage();
    const clock = new FakeClock();
    let engine = engineFor(portal, store.open(), clock);
    await started(engine);
    // The portal acts on the batch, then the connection dies before the reply arrives.
    portal.injectFault({ kind: 'lose-response' }, { restMethod: 'batch' });
    void engine.confirm(invite.id, 'Y');
    await stateWhere(engine, (s) => s.inbox.find((i) => i.id === invite.id)?.action?.status === 'waiting', 'the click to wait');
    expect(portal.confirmLog).toHaveLength(1);
    await engine.stop(); // the app quits before it learns what happened

    engine = engineFor(portal, store.open(), clock);
    const events = recordEvents(engine);
    await started(engine);
    await nextPoll(engine, clock);
    expect(confirmCommandsSent(portal)).toBe(1);
    expect(portal.confirmLog).toHaveLength(1);
    expect(events.announced).toEqual([]);
    expect(engine.state.inbox.find((item) => item.id === invite.id)).toBeUndefined();
  });

  it('re-sends after a restart when the outage meant the portal never got the click', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    const store = tempStorage();
    const clock = new FakeClock();
    let engine = engineFor(portal, store.open(), clock);
    await started(engine);
    portal.injectFault({ kind: 'drop' }, { restMethod: 'batch', times: Infinity });
    void engine.confirm(invite.id, 'N');
    await stateWhere(engine, (s) => s.inbox.find((i) => i.id === invite.id)?.action?.status === 'waiting', 'the click to wait');
    await engine.stop();
    portal.clearFaults();

    engine = engineFor(portal, store.open(), clock);
    await started(engine); // verifies: the confirm is still on the portal, so it was never acted on
    await stateWhere(engine, () => portal.confirmLog.length === 1, 'the confirm to arrive');
    expect(portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'N' })]);
    await nextPoll(engine, clock);
    expect(portal.confirmLog).toHaveLength(1);
  });

  it('shows "already answered" when the portal says the item is gone', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    portal.answerInBrowser(invite.id, 'N');
    await expect(engine.confirm(invite.id, 'Y')).resolves.toMatchObject({ status: 'done', gone: true });
    expect(portal.confirmLog.filter((entry) => entry.via === 'rest')).toHaveLength(0);
  });

  it('sends a quick reply once and keeps the item', async () => {
    const portal = await sim();
    const question = portal.addPersonal({ text: 'Can you review?', quickReply: true });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    expect(() => engine.answer(question.id, '   ')).toThrow(/Write a reply/);
    await expect(engine.answer(question.id, ' Sure, after lunch ')).resolves.toMatchObject({ status: 'done', resultMessages: [expect.any(String)] });
    expect(portal.answerLog).toEqual([expect.objectContaining({ id: question.id, text: 'Sure, after lunch' })]);
    expect(engine.state.inbox.find((item) => item.id === question.id)).toBeDefined();
  });
});

describe('AccountEngine: reading and dismissing', () => {
  it('marks read, marks all read (confirms excluded) and dismisses, each riding with the refresh in one request', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    const first = portal.addPersonal({ text: 'One' });
    const second = portal.addPersonal({ text: 'Two' });
    const third = portal.addSystem({ text: 'Three' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    expect(engine.state.unreadCount).toBe(4);

    let before = restRequests(portal);
    let polled = nextEvent(engine, 'polled');
    engine.markRead([first.id, invite.id]);
    expect(engine.state.inbox.find((i) => i.id === first.id)?.read).toBe(true);
    await polled;
    expect(restRequests(portal) - before).toBe(1);
    expect(portal.get(first.id)?.notify_read).toBe('Y');
    expect(portal.get(invite.id)?.notify_read).toBe('N'); // a confirm stays unread until answered
    expect(engine.state.unreadCount).toBe(3);

    polled = nextEvent(engine, 'polled');
    engine.dismiss(second.id);
    expect(engine.state.inbox.map((i) => i.id)).not.toContain(second.id);
    await polled;
    expect(portal.get(second.id)).toBeUndefined();

    before = restRequests(portal);
    polled = nextEvent(engine, 'polled');
    engine.markAllRead();
    await polled;
    expect(restRequests(portal) - before).toBe(1);
    expect(portal.get(third.id)?.notify_read).toBe('Y');
    expect(engine.state.unreadCount).toBe(1); // the open confirm
    expect(() => engine.dismiss(999_999)).toThrow(ActionRefused);
  });

  it('keeps a dismissal through a failed exchange and sends it with the next one', async () => {
    const portal = await sim();
    const note = portal.addPersonal({ text: 'Bye' });
    const clock = new FakeClock();
    const engine = engineFor(portal, tempStorage().open(), clock);
    await started(engine);
    portal.injectFault({ kind: 'status', status: 502, body: 'bad gateway' }, { restMethod: 'batch', times: 2 });
    const failed = nextEvent(engine, 'polled');
    engine.dismiss(note.id);
    expect(await failed).toEqual([false]);
    expect(portal.get(note.id)).toBeDefined();
    expect(engine.state.inbox.map((i) => i.id)).not.toContain(note.id);
    expect(await nextPoll(engine, clock)).toBe(true);
    expect(portal.get(note.id)).toBeUndefined();
  });
});
