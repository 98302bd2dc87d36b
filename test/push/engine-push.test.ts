/**
 * End to end without mocks: the real engine and PortalClient against the simulated portal, the
 * real undici WebSocket against the simulator's push server, all on loopback. Polling is set to
 * 15 minutes, so a notification that shows within the test can only have come through push.
 */
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { attachEnginePush } from '../../main/core/push/engine-push';
import type { PushState } from '../../main/core/push/push-channel';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startPushServer } from '../portal-sim/push-server';
import { stateWhere, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { startPushPortal } from '../harness/push-portal';
import { simWebhookCredentials } from '../harness/sim-credentials';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

/** The engine with its push channel, against `portal`, over one undici Agent; polling every 15 min. */
function pushedEngine(portal: PortalSim): AccountEngine {
  const agent = new Agent();
  open.push(agent);
  const client = new PortalClient({ credentials: simWebhookCredentials(portal), dispatcher: agent });
  open.push(client);
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), pollIntervalMs: 15 * 60_000 });
  attachEnginePush({ client, engine, dispatcherFactory: () => Promise.resolve({ dispatcher: agent }) });
  open.push({ close: () => engine.stop() });
  return engine;
}

describe('engine with push', () => {
  it('a new notification on the portal reaches the inbox through a push hint, long before the next poll', async () => {
    const portal = await startPortalSim({ scopes: ['im', 'pull_channel'] });
    open.push(portal);
    const push = await startPushServer();
    open.push(push);
    portal.setPushOffer(push.config);
    const agent = new Agent();
    open.push(agent);
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), dispatcher: agent });
    open.push(client);
    const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), pollIntervalMs: 15 * 60_000 });
    const states: PushState[] = [];
    attachEnginePush({ client, engine, dispatcherFactory: () => Promise.resolve({ dispatcher: agent }), onState: (state) => states.push(state) });
    open.push({ close: () => engine.stop() });
    engine.start();
    await stateWhere(engine, (state) => state.connection.status === 'ok');
    await new Promise<void>((resolve) => {
      const poll = (): void => (states.includes('on') ? resolve() : void setImmediate(poll));
      poll();
    });
    expect(engine.pollIntervalMs).toBe(15 * 60_000);
    // The portal's card says so (issue 16: "Instant: on").
    expect(engine.state.instant).toBe('on');
    const added = portal.addPersonal({ text: 'Pushed to you' });
    push.publish('im', 'notifyAdd', { id: added.id });
    const state = await stateWhere(engine, (s) => s.inbox.some((item) => item.id === added.id), 'the pushed notification');
    expect(state.inbox.find((item) => item.id === added.id)).toBeTruthy();
  });
});

describe('a push hint never overrides what the portal said', () => {
  it('while the engine backs off after a failure, hints cause no request; the user\'s Retry does', async () => {
    const portal = await startPortalSim({ scopes: ['im'] });
    open.push(portal);
    portal.injectFault({ kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 500 }, { times: Infinity });
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), maxAttempts: 1 });
    open.push(client);
    const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), pollIntervalMs: 15 * 60_000 });
    open.push({ close: () => engine.stop() });
    engine.start();
    await stateWhere(engine, (state) => state.connection.status !== 'connecting');
    const requests = portal.requestLog.length;
    for (let i = 0; i < 20; i += 1) engine.requestSync();
    await new Promise((resolve) => setTimeout(resolve, 200)); // no event to await: proving nothing happens
    expect(portal.requestLog.length).toBe(requests);
    engine.pollNow();
    await stateWhere(engine, () => portal.requestLog.length > requests, 'the retry request');
  });

  it('says "unavailable" on the card when the webhook lacks the pull_channel permission', async () => {
    const portal = await startPortalSim({ scopes: ['im'] });
    open.push(portal);
    const engine = pushedEngine(portal);
    engine.start();
    await stateWhere(engine, (state) => state.instant === 'unavailable', 'the card saying unavailable');
  });
});

describe('the simulator tells its push server what changed, as a portal does', () => {
  it('added, read elsewhere and answered elsewhere: each reaches the engine through push alone (polling every 15 min)', async () => {
    const portal = await startPortalSim({ scopes: ['im', 'pull_channel'] });
    open.push(portal);
    const push = await startPushServer();
    open.push(push);
    const detach = portal.attachPushServer(push);
    open.push({ close: detach });
    const engine = pushedEngine(portal);
    engine.start();
    await stateWhere(engine, (state) => state.instant === 'on', 'instant delivery on');

    const invite = portal.addConfirm({ text: 'Join Marketing?' });
    const note = portal.addPersonal({ text: 'Report ready' });
    await stateWhere(engine, (s) => s.inbox.some((i) => i.id === invite.id) && s.inbox.some((i) => i.id === note.id), 'both new items');
    portal.answerInBrowser(invite.id, 'Y');
    await stateWhere(engine, (s) => !s.inbox.some((i) => i.id === invite.id), 'the invitation answered elsewhere to leave');
    portal.deleteInBrowser(note.id);
    await stateWhere(engine, (s) => s.inbox.length === 0, 'the note deleted elsewhere to leave');
    const commands = push.sentCommands();
    expect(commands).toEqual(expect.arrayContaining(['notifyAdd', 'notifyConfirm', 'notifyDelete']));
  });
});

describe('behind a proxy that refuses WebSocket upgrades', () => {
  it('notifications still come at once: five socket failures, then long polling on the same channel', async () => {
    const { portal, push, agent } = await startPushPortal(open);
    push.fault('refuse-websocket');
    const clock = new FakeClock(Date.now());
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), dispatcher: agent });
    open.push(client);
    const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock, pollIntervalMs: 15 * 60_000 });
    const lines: string[] = [];
    const failures = (): number => lines.filter((line) => line.includes('socket closed')).length;
    attachEnginePush({ client, engine, clock, dispatcherFactory: () => Promise.resolve({ dispatcher: agent }), log: (_level, line) => lines.push(line) });
    open.push({ close: () => engine.stop() });
    engine.start();
    await stateWhere(engine, (state) => state.connection.status === 'ok');
    /** Steps virtual time (never real time) until `done`, yielding to loopback I/O between steps. */
    const stepUntil = async (done: () => boolean, stepMs: number, what: string): Promise<number> => {
      const startedAt = clock.now();
      for (let step = 0; !done(); step += 1) {
        if (step > 5_000) throw new Error(`not reached: ${what}`);
        await new Promise((resolve) => setImmediate(resolve));
        await clock.advance(stepMs);
      }
      return clock.now() - startedAt;
    };
    await stepUntil(() => failures() >= 5, 500, 'five socket failures');
    await push.longPollArrival(1);
    await stepUntil(() => engine.state.instant === 'on', 500, 'long polling counted as connected');
    expect(lines.some((line) => line.includes('long polling instead'))).toBe(true);
    const requestsBefore = portal.requestLog.length;
    const added = portal.addPersonal({ text: 'Through long polling' });
    const tookMs = await stepUntil(() => engine.state.inbox.some((item) => item.id === added.id), 50, 'the notification in the inbox');
    expect(tookMs).toBeLessThan(1_000);
    expect(portal.requestLog.length - requestsBefore).toBe(1); // one sync, from the hint
    expect(push.openSockets).toBe(0);
  });
});
