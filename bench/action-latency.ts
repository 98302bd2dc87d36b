/**
 * Benchmark: how fast an answer leaves the app, through the real path.
 *
 * 1. A popup button: from the notification server's ActionInvoked reaching the app to the
 *    im.notify.confirm request arriving at the portal (D-Bus notifier → popup presenter → hub →
 *    engine → outbox → batch over loopback HTTP). dbusmock plays the notification server on a
 *    private session bus; skipped with a note when python3-dbusmock is missing.
 * 2. A window button: from the click (hub.confirm(…, 'window'), as the IPC handler calls it) to
 *    the snapshot that shows the portal's answer, which is what the window draws.
 *
 * Each run starts with the client's bucket drained (the clock skips 5 idle seconds), as for a
 * click that is not the 40th of a burst; a burst is paced by the bucket on purpose.
 *
 * Run: npm run bench:action (also part of npm run bench). Prints a table and merges its figures
 * into bench/results.json.
 */
import { NotificationHub } from '../main/core/app/hub';
import { AccountEngine } from '../main/core/engine/account-engine';
import { MAX_POLL_INTERVAL_MS } from '../main/core/engine/schedule';
import { PopupPresenter } from '../main/core/notifier/popup-presenter';
import { PortalClient } from '../main/core/portal';
import { DbusNotifier } from '../main/linux/dbus-notifier';
import { startPortalSim, type PortalSim, type RequestLogEntry } from '../test/portal-sim';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus } from '../test/harness/dbus-session';
import { nextEvent, tempStorage } from '../test/harness/engine-harness';
import { isMainScript, machine, mergeResults } from './lib/results';
import { SkippableClock } from './lib/skip-clock';
import { formatMs, summarize, type Summary } from './lib/stats';

const DEFAULT_RUNS = 20;
const ACCOUNT = 'bench';
/** Idle time skipped before each run: the bucket drains 2 requests a second. */
const DRAIN_MS = 5_000;

export interface ActionLatency {
  /** ActionInvoked → confirm at the portal; a reason when it could not be measured. */
  actionInvokedToConfirm: Summary | { skipped: string };
  /** Window click → the snapshot with the portal's answer. */
  windowClickToResult: Summary;
}

/** Resolves with the first request the portal receives that satisfies `matches`. */
function arrivalOf(portal: PortalSim, matches: (entry: RequestLogEntry) => boolean): Promise<RequestLogEntry> {
  return new Promise((resolve) => {
    const log = portal.requestLog;
    const push = log.push.bind(log);
    log.push = (...entries: RequestLogEntry[]): number => {
      const length = push(...entries);
      // The simulator names the method and commands just after logging the arrival.
      queueMicrotask(() => {
        const found = entries.find(matches);
        if (!found) return;
        log.push = push;
        resolve(found);
      });
      return length;
    };
  });
}

const carriesConfirm = (id: number) => (entry: RequestLogEntry): boolean => entry.batchCommands?.some((cmd) => cmd.startsWith('im.notify.confirm?') && cmd.includes(`NOTIFY_ID=${id}&`)) ?? false;

export async function measureActionLatency(options: { runs?: number } = {}): Promise<ActionLatency> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const withBus = canStartSessionBus();
  const bus = withBus ? await startSessionBus() : undefined;
  if (bus) await bus.startDaemon(['actions', 'body']);
  const clock = new SkippableClock();
  const portal = await startPortalSim({ restApAuthAllowHttp: true, now: () => clock.now(), bucket: false });
  const client = new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode }, clock });
  // The slowest schedule, so no routine poll lands inside a measurement.
  const engine = new AccountEngine({ accountId: ACCOUNT, client, storage: tempStorage().open(), clock, pollIntervalMs: MAX_POLL_INTERVAL_MS });
  const hub = new NotificationHub();
  const notifier = bus ? await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: bus.address }) : undefined;
  let actionAt = 0;
  // Registered before the presenter's listener: the first to hear the button.
  notifier?.on('action', () => (actionAt = clock.now()));
  // Popups the daemon accepted, by title, as the Notify replies come back.
  const shown = new Map<string, () => void>();
  if (notifier) {
    const show = notifier.show.bind(notifier);
    notifier.show = async (popup) => {
      await show(popup);
      shown.get(popup.title)?.();
    };
  }
  const presenter = notifier
    ? new PopupPresenter({ hub, notifier, clock, settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }), openWindow: () => undefined })
    : undefined;
  hub.add('Bench', engine);
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;

  /** A new confirm on the portal, polled in and announced; with popups, also on screen. */
  const announceConfirm = async (title: string): Promise<number> => {
    clock.skipTo(clock.now() + DRAIN_MS);
    const invite = portal.addConfirm({ title, text: 'Join the group?' });
    const onScreen = notifier ? new Promise<void>((resolve) => shown.set(title, resolve)) : Promise.resolve();
    const polled = nextEvent(engine, 'polled');
    engine.pollNow();
    await polled;
    await onScreen;
    return invite.id;
  };
  const answered = (id: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): boolean => hub.snapshot().accounts[0]?.state.inbox.find((item) => item.id === id)?.action?.status === 'done';
      if (done()) return resolve();
      const off = hub.on('changed', (snapshot) => {
        if (snapshot.accounts[0]?.state.inbox.find((item) => item.id === id)?.action?.status !== 'done') return;
        off();
        resolve();
      });
    });

  const popupSamples: number[] = [];
  const windowSamples: number[] = [];
  try {
    if (bus) {
      for (let run = 0; run < runs; run += 1) {
        const title = `Invitation ${run}`;
        const id = await announceConfirm(title);
        const calls = await bus.notifyCalls();
        // dbusmock numbers popups 1, 2, … in Notify order.
        const serverId = calls.findIndex((call) => call.summary === title) + 1;
        const arrival = arrivalOf(portal, carriesConfirm(id));
        const done = answered(id);
        await bus.pressButton(serverId, 'Y');
        popupSamples.push((await arrival).at - actionAt);
        await done;
      }
    }
    for (let run = 0; run < runs; run += 1) {
      const id = await announceConfirm(`Meeting ${run}`);
      const done = answered(id);
      const clickedAt = clock.now();
      void hub.confirm(ACCOUNT, id, 'Y', 'window');
      await done;
      windowSamples.push(clock.now() - clickedAt);
    }
  } finally {
    presenter?.dispose();
    await hub.stopAll();
    await notifier?.dispose();
    await client.close();
    await portal.close();
    await bus?.close();
  }
  return {
    actionInvokedToConfirm: bus ? summarize(popupSamples) : { skipped: NO_SESSION_BUS },
    windowClickToResult: summarize(windowSamples),
  };
}

async function main(): Promise<void> {
  const result = await measureActionLatency();
  const row = (label: string, figures: Summary | { skipped: string }): string =>
    'skipped' in figures ? `| ${label} | – | ${figures.skipped} | |` : `| ${label} | ${figures.runs} | ${formatMs(figures.medianMs)} | ${formatMs(figures.p95Ms)} |`;
  console.log('| measurement | runs | median | p95 |');
  console.log('| --- | --- | --- | --- |');
  console.log(row('ActionInvoked → confirm at the portal', result.actionInvokedToConfirm));
  console.log(row('Window click → result shown', result.windowClickToResult));
  // "actionInvokedToConfirm" was this benchmark's key before it measured the window too.
  mergeResults({ action: { ...result, measuredAt: new Date().toISOString(), machine: machine() } }, ['actionInvokedToConfirm']);
}

if (isMainScript(import.meta.url)) await main();
