/**
 * Benchmark: HTTP requests to the portal, the app against a naive client (bench/naive-client.ts),
 * each alone against its own simulator holding the same notifications.
 *
 * Method: a simulated hour on a virtual clock (test/harness/virtual-time.ts): both clients run
 * their real code over real loopback HTTP, but the waits between polls take no real time. Three
 * hours each at the default interval: idle; with new notifications arriving at random moments;
 * and with the user also answering confirms. Requests are counted in the simulator's log.
 */
import { AccountEngine } from '../main/core/engine/account-engine';
import { DEFAULT_POLL_INTERVAL_MS } from '../main/core/engine/schedule';
import { PortalClient } from '../main/core/portal';
import { startPortalSim, type PortalSim, type RequestLogEntry } from '../test/portal-sim';
import { tempStorage } from '../test/harness/engine-harness';
import { VirtualClock, driveVirtualTime } from '../test/harness/virtual-time';
import { Random } from '../test/soak/random';
import { NaiveClient } from './naive-client';

const HOUR_MS = 3_600_000;
const OPEN_CONFIRMS = 10;

export interface Activity {
  /** Notifications on the portal before the hour. */
  stored: number;
  /** New notifications during the hour (a quarter of them confirms). */
  arriving: number;
  /** Confirms among them the user answers. */
  answers: number;
}

export interface HourCount {
  requests: number;
  /** Refused by the portal (its bucket) or failed. */
  refused: number;
  /** Requests that carried an answer (a batch with im.notify.confirm, or the call itself). */
  carryingAnswers: number;
}

export interface RequestFigures {
  stored: number;
  app: { idle: HourCount; news: HourCount; answers: HourCount };
  naive: { idle: HourCount; news: HourCount; answers: HourCount };
  arriving: number;
  answers: number;
}

export interface RequestsResult {
  method: string;
  intervalMs: number;
  sizes: RequestFigures[];
}

export const REQUESTS_METHOD =
  'one simulated hour per row on a virtual clock (real loopback HTTP, no real waiting), default interval, requests counted in the simulator’s log; new notifications at uniformly random moments, answers 1–5 min after their confirm arrived';

interface Subject {
  start(): Promise<void>;
  answer(id: number): void;
  stop(): Promise<void>;
}

function appSubject(portal: PortalSim, clock: VirtualClock): Subject {
  const client = new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode }, clock });
  const engine = new AccountEngine({ accountId: 'bench', client, storage: tempStorage().open(), clock });
  return {
    start: () =>
      new Promise((resolve) => {
        const off = engine.on('polled', () => {
          off();
          resolve();
        });
        engine.start();
      }),
    answer: (id) => {
      // As the window does; an item the app has not shown yet cannot be answered.
      if (engine.state.inbox.some((item) => item.id === id)) void engine.confirm(id, 'Y', 'window');
    },
    stop: async () => {
      await engine.stop();
      await client.close();
    },
  };
}

function naiveSubject(portal: PortalSim, clock: VirtualClock): Subject {
  const naive = new NaiveClient({ webhookUrl: portal.webhookUrl, clock, intervalMs: DEFAULT_POLL_INTERVAL_MS });
  return {
    start: async () => {
      const before = portal.requestLog.length;
      naive.start();
      // Its first read is done once it sleeps: the driver only moves time when nothing is in flight.
      await clock.sleep(1);
      if (portal.requestLog.length === before) throw new Error('the naive client did not poll');
    },
    answer: (id) => void naive.confirm(id, 'Y'),
    stop: () => naive.stop(),
  };
}

async function hour(kind: 'app' | 'naive', activity: Activity, seed: number): Promise<HourCount> {
  const random = new Random(seed);
  const clock = new VirtualClock();
  const driver = driveVirtualTime(clock);
  const portal = await startPortalSim({ restApAuthAllowHttp: true, now: () => clock.now() });
  // A few open confirms (they stay until answered) and the rest ordinary notifications.
  for (let i = 0; i < activity.stored; i += 1) {
    if (i < OPEN_CONFIRMS) portal.addConfirm({ text: `Invitation ${i}` });
    else portal.addPersonal({ text: `Stored notification ${i}: please review the [URL=https://example.com/${i}]report[/URL].` });
  }
  const subject = kind === 'app' ? appSubject(portal, clock) : naiveSubject(portal, clock);
  try {
    // The hour starts with the first poll.
    const startAt = clock.now();
    await subject.start();
    // The hour's events, in time order: arrivals, and answers a few minutes after their confirm.
    const events: { at: number; act: () => void }[] = [];
    const confirms: number[] = [];
    for (let i = 0; i < activity.arriving; i += 1) {
      const at = startAt + random.next() * (HOUR_MS - 10 * 60_000);
      const isConfirm = i % 4 === 0;
      events.push({
        at,
        act: () => {
          const stored = isConfirm ? portal.addConfirm({ text: `New invitation ${i}` }) : portal.addPersonal({ text: `New notification ${i}` });
          if (isConfirm && confirms.length < activity.answers) {
            confirms.push(stored.id);
            events.push({ at: clock.now() + random.int(60_000, 5 * 60_000), act: () => subject.answer(stored.id) });
            events.sort((a, b) => a.at - b.at);
          }
        },
      });
    }
    events.sort((a, b) => a.at - b.at);
    while (events.length > 0) {
      const next = events.shift()!;
      await clock.sleep(Math.max(0, next.at - clock.now()));
      next.act();
    }
    await clock.sleep(Math.max(0, startAt + HOUR_MS - clock.now()));
    const inHour = portal.requestLog.filter((entry) => entry.at < startAt + HOUR_MS);
    const carries = (entry: RequestLogEntry): boolean => entry.restMethod === 'im.notify.confirm' || (entry.batchCommands ?? []).some((command) => command.startsWith('im.notify.confirm?'));
    return { requests: inHour.length, refused: inHour.filter((entry) => entry.status !== 200).length, carryingAnswers: inHour.filter(carries).length };
  } finally {
    await subject.stop();
    await driver.stop();
    await portal.close();
  }
}

export async function measureRequests(options: { sizes?: number[]; arriving?: number; answers?: number } = {}): Promise<RequestsResult> {
  const sizes: RequestFigures[] = [];
  const arriving = options.arriving ?? 60;
  const answers = options.answers ?? 12;
  for (const stored of options.sizes ?? [200, 1_000]) {
    const idle: Activity = { stored, arriving: 0, answers: 0 };
    const news: Activity = { stored, arriving, answers: 0 };
    const busy: Activity = { stored, arriving, answers };
    sizes.push({
      stored,
      arriving,
      answers,
      app: { idle: await hour('app', idle, 1), news: await hour('app', news, 2), answers: await hour('app', busy, 3) },
      naive: { idle: await hour('naive', idle, 1), news: await hour('naive', news, 2), answers: await hour('naive', busy, 3) },
    });
  }
  return { method: REQUESTS_METHOD, intervalMs: DEFAULT_POLL_INTERVAL_MS, sizes };
}
