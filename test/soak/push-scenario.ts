/**
 * The soak with instant delivery (issue 16): the real engine and its push channel (undici socket
 * and long polling, the portal's webhook) against the simulator and its push server, on virtual
 * time, while the portal's data keeps changing — added, read, answered and deleted elsewhere, in
 * bursts — and the push side misbehaves in every way the simulator knows (drops, silence, garbage,
 * oversized frames, 4010, expiries, restarts, refused connections, sockets blocked so that long
 * polling takes over). Push is only a hint, so the judge is the same as the main soak's:
 * every notification announced once whether push or poll saw it first, the inbox equal to the
 * portal, and never more requests than polling alone would make.
 */
import { Agent } from 'undici';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { attachEnginePush } from '../../main/core/push/engine-push';
import type { PushChannel, PushState } from '../../main/core/push/push-channel';
import { startPortalSim } from '../portal-sim';
import { startPushServer, type PushFault } from '../portal-sim/push-server';
import { tempStorage } from '../harness/engine-harness';
import { simWebhookCredentials } from '../harness/sim-credentials';
import { VirtualClock, driveVirtualTime } from '../harness/virtual-time';
import { Random } from './random';
import { inboxMatchesPortal, type Invariant } from './scenario';

export interface PushScenarioOptions {
  seed?: number;
  /** Random portal and push events. */
  steps?: number;
}

export interface PushScenarioReport {
  seed: number;
  counts: [label: string, value: number | string][];
  invariants: Invariant[];
  ok: boolean;
}

const PUSH_FAULTS: readonly PushFault[] = ['drop', 'stale', 'garbage', 'oversized', 'wrong-channel', 'refuse', 'refuse-websocket', 'channel-expire', 'config-expire', 'server-restart'];
/** The engine's default interval: what polling alone costs an hour (issue 16's budget). */
const POLLS_PER_HOUR = 120;
/**
 * A sync reads the first page (confirms first, then the newest regular items) and stops at what
 * it knows: the read state of older items is not read again, so what happens elsewhere is done to
 * the newest few regular items, with at most 30 confirms open (as the main soak). Quick polls
 * behind more than a page of confirms are tested in test/engine/poll-plan.test.ts.
 */
const CONFIRM_CAP = 30;
const REGULAR_TOUCHED = 5;
const HEALTHY: ReadonlySet<PushState> = new Set(['on', 'long-polling']);

export async function runPushScenario(options: PushScenarioOptions = {}): Promise<PushScenarioReport> {
  const seed = options.seed ?? 16;
  const rng = new Random(seed);
  const clock = new VirtualClock();
  const driver = driveVirtualTime(clock);
  const sim = await startPortalSim({ restApAuthAllowHttp: true, scopes: ['im', 'pull_channel'], now: () => clock.now() });
  const push = await startPushServer();
  // Held long polls answer within real milliseconds: virtual minutes pass between two of them.
  push.longPollHoldMs = 20;
  const detachPush = sim.attachPushServer(push);
  driver.http.ignore(push.socketUrl.replace('ws:', 'http:'));
  const agent = new Agent();
  const client = new PortalClient({ credentials: simWebhookCredentials(sim), dispatcher: agent, clock });
  const engine = new AccountEngine({ accountId: 'push-soak', client, storage: tempStorage().open(), clock });
  const states: PushState[] = [];
  const pushLog: string[] = [];
  const channel: PushChannel = attachEnginePush({
    client,
    engine,
    clock,
    dispatcherFactory: () => Promise.resolve({ dispatcher: agent }),
    onState: (state) => states.push(state),
    log: (_level, line) => pushLog.push(line),
  });
  // "Another device" of the same user: reads elsewhere go through the portal's REST like the web UI.
  const elsewhere = new PortalClient({ credentials: simWebhookCredentials(sim), dispatcher: agent, clock });
  let elsewhereRequests = 0;

  const announced = new Map<number, number>();
  engine.on('announced', (items) => items.forEach((item) => announced.set(item.id, (announced.get(item.id) ?? 0) + 1)));
  const created: number[] = [];
  const counts = { added: 0, bursts: 0, readElsewhere: 0, answeredElsewhere: 0, deletedElsewhere: 0, faults: {} as Record<string, number> };
  const pause = (ms: number): Promise<void> => clock.sleep(ms);
  const open = () => sim.notifications();
  /** What the engine's reads cover: every open confirm, and the newest regular ones. */
  const visible = () => {
    const all = open();
    const regular = all.filter((item) => item.notify_type !== 1).sort((a, b) => b.id - a.id).slice(0, REGULAR_TOUCHED);
    return [...all.filter((item) => item.notify_type === 1), ...regular];
  };
  const add = (count: number, confirmShare = 0.25): void => {
    for (let i = 0; i < count; i += 1) {
      const stored = rng.chance(confirmShare) ? sim.addConfirm({ text: `Join group ${counts.added}?` }) : sim.addPersonal({ text: `News ${counts.added}` });
      created.push(stored.id);
      counts.added += 1;
    }
  };

  const faultQueue: PushFault[] = [];
  const invariants: Invariant[] = [];
  const virtualStart = clock.now();
  try {
    engine.start();
    channel.start();
    await untilVirtual(() => HEALTHY.has(channel.state), clock, 'push on at start');
    add(5);
    for (let step = 0; step < (options.steps ?? 120); step += 1) {
      await pause(rng.int(200, 20_000));
      const roll = rng.next();
      const confirms = visible().filter((item) => item.notify_type === 1);
      if (confirms.length > CONFIRM_CAP) {
        for (const item of confirms.slice(0, confirms.length - CONFIRM_CAP)) sim.answerInBrowser(item.id, 'Y');
        counts.answeredElsewhere += confirms.length - CONFIRM_CAP;
      }
      const mine = visible();
      if (roll < 0.35) add(rng.int(1, 4));
      else if (roll < 0.38) {
        add(rng.int(5, 10)); // a burst: one push event each, one sync
        counts.bursts += 1;
      } else if (roll < 0.5) {
        const unread = mine.filter((item) => item.notify_type !== 1 && item.notify_read === 'N');
        const item = rng.pick(unread);
        if (item) {
          elsewhereRequests += 1;
          await elsewhere.call('im.notify.read', { ID: item.id, ACTION: 'Y', ONLY_CURRENT: 'Y' }).catch(() => undefined);
          counts.readElsewhere += 1;
        }
      } else if (roll < 0.6) {
        const confirm = rng.pick(mine.filter((item) => item.notify_type === 1));
        if (confirm) {
          sim.answerInBrowser(confirm.id, rng.chance(0.5) ? 'Y' : 'N');
          counts.answeredElsewhere += 1;
        }
      } else if (roll < 0.68) {
        const item = rng.pick(mine);
        if (item) {
          sim.deleteInBrowser(item.id);
          counts.deletedElsewhere += 1;
        }
      } else if (roll < 0.8) {
        // Every kind in turn, in a shuffled order: each one is met several times a run.
        if (faultQueue.length === 0) faultQueue.push(...rng.shuffle(PUSH_FAULTS));
        const fault = faultQueue.shift()!;
        push.fault(fault);
        counts.faults[fault] = (counts.faults[fault] ?? 0) + 1;
      } else push.heal();
    }

    // ---- every fault the random steps did not meet, once each
    for (const fault of PUSH_FAULTS.filter((each) => !counts.faults[each])) {
      push.fault(fault);
      counts.faults[fault] = 1;
      add(1);
      await pause(rng.int(5_000, 60_000));
      push.heal();
    }

    // ---- a proxy that blocks sockets: long polling carries the news
    push.heal();
    push.fault('refuse-websocket');
    counts.faults['refuse-websocket'] = (counts.faults['refuse-websocket'] ?? 0) + 1;
    channel.reconnect('sockets blocked from now on');
    await untilVirtual(() => channel.state === 'long-polling', clock, 'long polling after the socket failed five times');
    add(3);
    await untilVirtual(() => created.slice(-3).every((id) => announced.has(id)), clock, 'news through long polling', 50);

    // ---- the server behaves again; then half an hour of event storms and nothing else
    push.heal();
    channel.reconnect('faults over');
    await untilVirtual(() => channel.state === 'on', clock, 'the socket back after the faults');
    await pause(60_000);
    const stormStartMs = clock.now();
    const requestsBeforeStorms = sim.requestLog.length;
    let syncsInStorms = 0;
    const stopCounting = engine.on('polled', () => void (syncsInStorms += 1));
    let stormEvents = 0;
    for (let minute = 0; minute < 30; minute += 1) {
      const count = rng.int(20, 60);
      add(count, 0);
      stormEvents += count;
      await pause(60_000);
    }
    stopCounting();
    const stormRequests = sim.requestLog.length - requestsBeforeStorms;
    const pollsAlone = Math.ceil(((clock.now() - stormStartMs) / 3_600_000) * POLLS_PER_HOUR);
    const lastAdded = created.at(-1) ?? 0;
    add(1);
    const pushedAtMs = clock.now();
    await untilVirtual(() => announced.has(created.at(-1)!), clock, 'the last notification announced', 50);
    const lastDetectionMs = clock.now() - pushedAtMs;
    await pause(15 * 60_000);

    // ---- judgement
    const portal = open();
    const twice = [...announced].filter(([, times]) => times > 1).map(([id]) => id);
    const missing = portal.filter((item) => !announced.has(item.id)).map((item) => item.id);
    invariants.push({
      name: 'no notification announced twice, none still on the portal never announced',
      ok: twice.length === 0 && missing.length === 0,
      detail: `${announced.size} announced of ${created.length} created (the rest went before any sync saw them); twice: ${twice.slice(0, 5).join(', ') || 'none'}; never: ${missing.slice(0, 5).join(', ') || 'none'}`,
    });
    invariants.push(inboxMatchesPortal(engine.state, portal));
    // A sync reads what polling would read after the same burst: the measure is syncs.
    invariants.push({
      name: 'event storms cost no more syncs than polling alone',
      ok: syncsInStorms <= pollsAlone,
      detail: `${stormEvents} notifications in 30 bursts over 30 virtual minutes: ${syncsInStorms} syncs, ${stormRequests} requests (polling alone: ${pollsAlone} polls)`,
    });
    const missed = PUSH_FAULTS.filter((fault) => !counts.faults[fault]);
    invariants.push({ name: 'every push fault was exercised', ok: missed.length === 0, detail: missed.length > 0 ? `never: ${missed.join(', ')}` : 'all of them' });
    invariants.push({
      name: 'long polling took over while sockets were refused',
      ok: push.longPollQueries.length > 0 && states.includes('long-polling'),
      detail: `${push.longPollQueries.length} long-poll requests`,
    });
    invariants.push({
      name: 'push is back and delivers within a second at the end',
      ok: HEALTHY.has(channel.state) && lastDetectionMs < 1_000 && lastAdded > 0,
      detail: `state ${channel.state}; the last notification took ${lastDetectionMs} virtual ms`,
    });
    const secrets = [push.privateChannelId, push.sharedChannelId, push.clientId];
    invariants.push({
      name: 'no channel id or clientId in the log',
      ok: !pushLog.some((line) => secrets.some((secret) => line.includes(secret))),
      detail: `${pushLog.length} push log lines`,
    });
    invariants.push({ name: 'the engine is polling fine', ok: engine.state.connection.status === 'ok', detail: engine.state.connection.status });
  } catch (error) {
    invariants.push({ name: 'the scenario made progress', ok: false, detail: error instanceof Error ? error.message : String(error) });
  } finally {
    channel.stop();
    await engine.stop();
    detachPush();
    await Promise.all([client.close(), elsewhere.close()]);
    await push.close();
    await sim.close();
    await agent.close();
    await driver.stop();
  }
  const stateCounts = new Map<PushState, number>();
  for (const state of states) stateCounts.set(state, (stateCounts.get(state) ?? 0) + 1);
  return {
    seed,
    counts: [
      ['virtual time', `${((clock.now() - virtualStart) / 3_600_000).toFixed(1)} h`],
      ['notifications created', counts.added],
      ['bursts of 5–10', counts.bursts],
      ['read / answered / deleted elsewhere', `${counts.readElsewhere} / ${counts.answeredElsewhere} / ${counts.deletedElsewhere}`],
      ['push faults', Object.entries(counts.faults).map(([fault, n]) => `${fault} ${n}`).join(', ')],
      ['push states', [...stateCounts].map(([state, n]) => `${state} ${n}`).join(', ')],
      ['REST requests (ours, all phases)', sim.requestLog.length - elsewhereRequests],
      ['long-poll requests', push.longPollQueries.length],
    ],
    invariants,
    ok: invariants.every((invariant) => invariant.ok),
  };
}

/** Lets virtual time run, `stepMs` at a time, until `done`; gives up after a virtual hour. */
async function untilVirtual(done: () => boolean, clock: VirtualClock, what: string, stepMs = 500): Promise<void> {
  const deadline = clock.now() + 3_600_000;
  while (!done()) {
    if (clock.now() > deadline) throw new Error(`not reached within a virtual hour: ${what}`);
    await clock.sleep(stepMs);
  }
}
