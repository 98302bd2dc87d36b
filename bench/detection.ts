/**
 * Benchmark: detection, from a notification being added on the portal to the app's Notify call
 * reaching the notification server (python3-dbusmock on a private session bus).
 *
 * A notification lands at a random moment of the poll interval, so the wait for the next poll is
 * most of it. That wait is not slept through: the clock skips the idle stretch (bench/lib/
 * skip-clock.ts) from "added" to the poll's due time, and everything from the poll on runs in real
 * time: the HTTP poll over loopback, parsing, the announcement, the popup presenter and the D-Bus
 * Notify round trip. So each sample is (skipped wait, uniform over the interval) + (measured real
 * time from the poll to Notify). The app's own overhead is also given alone: from the poll's
 * response arriving (undici's diagnostics channel) to the Notify reply.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { NotificationHub } from '../main/core/app/hub';
import { AccountEngine } from '../main/core/engine/account-engine';
import { DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../main/core/engine/schedule';
import { PopupPresenter } from '../main/core/notifier/popup-presenter';
import { PortalClient } from '../main/core/portal';
import { attachEnginePush } from '../main/core/push/engine-push';
import { systemClock, type Clock } from '../main/core/clock';
import { Agent } from 'undici';
import { startPushServer } from '../test/portal-sim/push-server';
import { DbusNotifier } from '../main/linux/dbus-notifier';
import { startPortalSim } from '../test/portal-sim';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus, type DbusSession } from '../test/harness/dbus-session';
import { nextEvent, tempStorage } from '../test/harness/engine-harness';
import { Random } from '../test/soak/random';
import { SkippableClock } from './lib/skip-clock';
import { summarize, type Summary } from './lib/stats';

export interface DetectionAtInterval {
  /** The interval the engine actually kept between polls (its schedule may stretch the setting). */
  intervalMs: number;
  /** Added on the portal → Notify reply: skipped wait + measured real time. */
  detection: Summary;
  /** The poll's due time → Notify reply (real time). */
  pollToNotify: Summary;
  /** The poll's response received → Notify reply (real time): the app's own overhead. */
  responseToNotify: Summary;
}

export type DetectionResult =
  | { skipped: string }
  | { method: string; defaultInterval: DetectionAtInterval; fastestInterval: DetectionAtInterval; push: Summary; pushMethod: string };

export const PUSH_METHOD =
  'push (issue 16): polling at 15 min, the simulator publishes notifyAdd on its push server (WebSocket on loopback) as the portal does; added on the portal → D-Bus Notify reply, all in real time, the 150 ms debounce included';

/** The app's popups on the private bus, each Notify reply timed by `now` and reported by title. */
async function timedPopups(bus: DbusSession, hub: NotificationHub, clock: Clock, now: () => number): Promise<{ notifier: DbusNotifier; notified: Map<string, (at: number) => void>; presenter: PopupPresenter }> {
  const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: bus.address });
  const notified = new Map<string, (at: number) => void>();
  const show = notifier.show.bind(notifier);
  notifier.show = async (popup) => {
    await show(popup);
    notified.get(popup.title)?.(now());
  };
  const presenter = new PopupPresenter({ hub, notifier, clock, settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }), openWindow: () => undefined });
  return { notifier, notified, presenter };
}

/** Real time: a notification added on the portal reaches Notify through a push hint. */
async function measurePush(bus: DbusSession, runs: number): Promise<Summary> {
  const portal = await startPortalSim({ restApAuthAllowHttp: true, scopes: ['im', 'pull_channel'] });
  const push = await startPushServer();
  const detach = portal.attachPushServer(push);
  const agent = new Agent();
  const client = new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode }, dispatcher: agent });
  const engine = new AccountEngine({ accountId: 'bench', client, storage: tempStorage().open(), pollIntervalMs: 15 * 60_000 });
  attachEnginePush({ client, engine, dispatcherFactory: () => Promise.resolve({ dispatcher: agent }) });
  const hub = new NotificationHub();
  const { notifier, notified, presenter } = await timedPopups(bus, hub, systemClock, () => performance.now());
  hub.add('Bench', engine);
  const samples: number[] = [];
  try {
    const on = new Promise<void>((resolve) => {
      const off = hub.on('changed', (snapshot) => {
        if (snapshot.accounts[0]?.state.instant === 'on') {
          off();
          resolve();
        }
      });
    });
    engine.start();
    await on;
    for (let run = 0; run < runs; run += 1) {
      const title = `Pushed invitation ${run}`;
      const shown = new Promise<number>((resolve) => notified.set(title, resolve));
      const addedAt = performance.now();
      portal.addConfirm({ title, text: 'Join the group?' });
      samples.push((await shown) - addedAt);
      // Apart like real notifications: the debounce window of one does not swallow the next.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    presenter.dispose();
    await hub.stopAll();
    await notifier.dispose();
    await client.close();
    detach();
    await push.close();
    await agent.close();
    await portal.close();
  }
  return summarize(samples);
}

export const DETECTION_METHOD =
  'each notification is added at a uniformly random moment of the poll interval; the idle wait until the poll is skipped on the clock, the rest (HTTP poll over loopback → engine → presenter → D-Bus Notify to dbusmock) runs and is timed in real time';

async function measureAt(bus: DbusSession, settingMs: number, runs: number, seed: number): Promise<DetectionAtInterval> {
  const clock = new SkippableClock();
  const random = new Random(seed);
  const portal = await startPortalSim({ restApAuthAllowHttp: true, now: () => clock.now() });
  const client = new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode }, clock });
  const engine = new AccountEngine({ accountId: 'bench', client, storage: tempStorage().open(), clock, pollIntervalMs: settingMs });
  const hub = new NotificationHub();
  const { notifier, notified, presenter } = await timedPopups(bus, hub, clock, () => clock.now());
  let lastResponseAt = 0;
  const onResponse = (): void => void (lastResponseAt = clock.now());
  subscribe('undici:request:trailers', onResponse);
  hub.add('Bench', engine);

  const detection: number[] = [];
  const pollToNotify: number[] = [];
  const responseToNotify: number[] = [];
  const intervals: number[] = [];
  try {
    let polled = nextEvent(engine, 'polled');
    engine.start();
    await polled;
    let lastPollAt = clock.now();
    for (let run = 0; run < runs; run += 1) {
      // The engine schedules its next poll right after the exchange; let it.
      await nextTurn();
      await nextTurn();
      const dueAt = clock.nextDueAt();
      if (dueAt === undefined) throw new Error('the engine has no poll scheduled');
      intervals.push(dueAt - lastPollAt);
      const title = `Invitation ${run}`;
      const shown = new Promise<number>((resolve) => notified.set(title, resolve));
      // Added at a random moment before the poll.
      clock.skipTo(dueAt - random.next() * (dueAt - lastPollAt));
      portal.addConfirm({ title, text: 'Join the group?' });
      const addedAt = clock.now();
      polled = nextEvent(engine, 'polled');
      clock.skipTo(dueAt);
      const notifyAt = await shown;
      await polled;
      lastPollAt = dueAt;
      detection.push(notifyAt - addedAt);
      pollToNotify.push(notifyAt - dueAt);
      responseToNotify.push(notifyAt - lastResponseAt);
      const calls = await bus.notifyCalls();
      if (!calls.some((call) => call.summary === title)) throw new Error(`dbusmock never received the Notify for ${title}`);
    }
  } finally {
    unsubscribe('undici:request:trailers', onResponse);
    presenter.dispose();
    await hub.stopAll();
    await notifier.dispose();
    await client.close();
    await portal.close();
  }
  return {
    intervalMs: Math.round(intervals.reduce((a, b) => a + b, 0) / intervals.length),
    detection: summarize(detection, 0),
    pollToNotify: summarize(pollToNotify),
    responseToNotify: summarize(responseToNotify),
  };
}

export async function measureDetection(options: { runs?: number } = {}): Promise<DetectionResult> {
  if (!canStartSessionBus()) return { skipped: NO_SESSION_BUS };
  const runs = options.runs ?? 30;
  const bus = await startSessionBus();
  try {
    await bus.startDaemon(['actions', 'body']);
    const defaultInterval = await measureAt(bus, DEFAULT_POLL_INTERVAL_MS, runs, 1);
    const fastestInterval = await measureAt(bus, MIN_POLL_INTERVAL_MS, runs, 2);
    const push = await measurePush(bus, Math.min(runs, 50));
    return { method: DETECTION_METHOD, defaultInterval, fastestInterval, push, pushMethod: PUSH_METHOD };
  } finally {
    await bus.close();
  }
}
