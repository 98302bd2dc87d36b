/**
 * One footprint measurement in a process of its own (bench/footprint.ts bundles this file like the
 * app's main bundle and runs it with --expose-gc): the main process's core (client, engine, hub,
 * popup presenter, storage) against a portal simulator in the parent, filled with `size`
 * notifications the way they would arrive, then idle polls for CPU time, then heap and RSS after
 * a full GC. Talks to the parent over the IPC channel.
 */
import { NotificationHub } from '../../main/core/app/hub';
import { StateFeed } from '../../main/core/app/state-feed';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { AccountEngine as BaselineEngine } from '../baseline/account-engine-before-split';
import { Emitter } from '../../main/core/emitter';
import type { Notifier, NotifierEvents } from '../../main/core/notifier/notifier';
import { PopupPresenter } from '../../main/core/notifier/popup-presenter';
import { PortalClient } from '../../main/core/portal';
import { tempStorage } from '../../test/harness/engine-harness';
import { VirtualClock, driveVirtualTime } from '../../test/harness/virtual-time';

export interface ChildRequest {
  origin: string;
  userId: number;
  code: string;
  size: number;
  idlePolls: number;
  /** 'baseline': the engine before issue 15's split (bench/baseline/), for a side-by-side row. */
  engine?: 'current' | 'baseline';
}

export type ChildMessage =
  | { type: 'wave'; count: number }
  | { type: 'result'; baseline: Memory; memory: Memory; inboxItems: number; cpuUsPerPoll: number; realMsPerPoll: number; polls: number; newItem?: NewItemBytes }
  | { type: 'error'; message: string };

/** What reaching the window costs for one new notification: the changes sent, and whole snapshots. */
export interface NewItemBytes {
  messages: number;
  changeBytes: number;
  wholeSnapshotBytes: number;
}

export interface Memory {
  heapUsed: number;
  rss: number;
}

/** Popups that go nowhere: the footprint of the core, not of a notification server. */
class NullNotifier implements Notifier {
  readonly capabilities = { buttons: true, reply: false };
  readonly #events = new Emitter<NotifierEvents>();
  async show(): Promise<void> {}
  async close(): Promise<void> {}
  on<E extends keyof NotifierEvents>(event: E, listener: (...args: NotifierEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }
  async dispose(): Promise<void> {}
}

const WAVE = 150;

function memory(): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i += 1) gc();
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function nextMessage(): Promise<unknown> {
  return new Promise((resolve) => process.once('message', resolve));
}

async function run(request: ChildRequest): Promise<void> {
  const baseline = memory();
  // Virtual time starts at the real time: the simulator dates items by the real clock, and items
  // dated after "now" are clamped to it (model.ts), so a clock behind the portal's would change
  // every item's date on every poll and measure that instead of an idle poll.
  const clock = new VirtualClock(Date.now());
  const driver = driveVirtualTime(clock);
  const client = new PortalClient({ credentials: { kind: 'webhook', origin: request.origin, userId: request.userId, code: request.code }, clock });
  const options = { accountId: 'footprint', client, storage: tempStorage().open(), clock };
  const engine = request.engine === 'baseline' ? baselineAdapter(new BaselineEngine(options)) : new AccountEngine(options);
  const hub = new NotificationHub();
  const presenter = new PopupPresenter({ hub, notifier: new NullNotifier(), clock, settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }), openWindow: () => undefined });
  hub.add('Footprint', engine);
  // The window's feed, as the app has it; the window asked for its state once.
  const feed = new StateFeed(hub);
  feed.full();
  let polls = 0;
  const waiters: (() => void)[] = [];
  engine.on('polled', () => {
    polls += 1;
    waiters.splice(0).forEach((resolve) => resolve());
  });
  const polled = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));

  let first = polled();
  engine.start();
  await first;
  // Notifications arrive in waves between polls, as the engine would meet them.
  for (let added = 0; added < request.size; added += WAVE) {
    const count = Math.min(WAVE, request.size - added);
    const done = nextMessage();
    send({ type: 'wave', count });
    await done;
    first = polled();
    await first;
  }
  // Idle polls (virtual 30 s apart, back to back in real time): CPU time each.
  const cpuBefore = process.cpuUsage();
  const realBefore = performance.now();
  const pollsBefore = polls;
  while (polls - pollsBefore < request.idlePolls) await polled();
  const cpu = process.cpuUsage(cpuBefore);
  const realMs = performance.now() - realBefore;
  const counted = polls - pollsBefore;
  const inboxItems = engine.state.inbox.length;
  const result = memory();
  let newItem: NewItemBytes | undefined;
  if (request.engine !== 'baseline') {
    // One new notification: the bytes the window is sent now, and what whole snapshots would weigh.
    newItem = { messages: 0, changeBytes: 0, wholeSnapshotBytes: 0 };
    const counter = newItem;
    const stopFeed = feed.onMessage((message) => {
      counter.messages += 1;
      counter.changeBytes += Buffer.byteLength(JSON.stringify(message));
    });
    const stopHub = hub.on('changed', (snapshot) => (counter.wholeSnapshotBytes += Buffer.byteLength(JSON.stringify(snapshot))));
    const added = nextMessage();
    send({ type: 'wave', count: 1 });
    await added;
    await polled();
    stopFeed();
    stopHub();
  }
  send({ type: 'result', baseline, memory: result, inboxItems, cpuUsPerPoll: (cpu.user + cpu.system) / counted, realMsPerPoll: realMs / counted, polls: counted, ...(newItem ? { newItem } : {}) });
  presenter.dispose();
  await hub.stopAll();
  await client.close();
  await driver.stop();
}

/** The engine before the split emits `changed` with the state only, and has no `item`. */
function baselineAdapter(baseline: BaselineEngine): AccountEngine {
  const on = (event: string, listener: (...args: unknown[]) => void): (() => void) =>
    event === 'changed' ? baseline.on('changed', (state) => listener(state, { put: [], removed: [] })) : baseline.on(event as 'polled', listener);
  return new Proxy(baseline, {
    get(target, property) {
      if (property === 'on') return on;
      if (property === 'item') return () => undefined;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as AccountEngine;
}

process.once('message', (request) => {
  run(request as ChildRequest).then(
    () => process.exit(0),
    (error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
});
