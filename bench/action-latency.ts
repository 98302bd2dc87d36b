/**
 * Benchmark: how long from the notification server's ActionInvoked reaching the app to the
 * im.notify.confirm request arriving at the portal, through the real path (D-Bus notifier →
 * popup presenter → hub → engine → outbox → batch over loopback HTTP). dbusmock plays the
 * notification server on a private session bus; the simulator plays the portal.
 *
 * Run: npm run bench. Prints a table and merges its figures into bench/results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { NotificationHub } from '../main/core/app/hub';
import { systemClock } from '../main/core/clock';
import { AccountEngine } from '../main/core/engine/account-engine';
import { MAX_POLL_INTERVAL_MS } from '../main/core/engine/schedule';
import { PopupPresenter } from '../main/core/notifier/popup-presenter';
import { PortalClient } from '../main/core/portal';
import { DbusNotifier } from '../main/linux/dbus-notifier';
import { startPortalSim } from '../test/portal-sim';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus } from '../test/harness/dbus-session';
import { nextEvent, tempStorage } from '../test/harness/engine-harness';
import { pollUntil } from '../test/harness/processes';

const RUNS = 20;
const RESULTS_FILE = new URL('./results.json', import.meta.url);
const preciseNow = (): number => performance.timeOrigin + performance.now();

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function measure(): Promise<number[]> {
  const bus = await startSessionBus();
  await bus.startDaemon(['actions', 'body']);
  const portal = await startPortalSim({ now: preciseNow, bucket: false });
  const client = new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode } });
  // The slowest schedule, so no routine poll lands inside a measurement.
  const engine = new AccountEngine({ accountId: 'bench', client, storage: tempStorage().open(), clock: systemClock, pollIntervalMs: MAX_POLL_INTERVAL_MS });
  const hub = new NotificationHub();
  const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: bus.address });
  let actionAt = 0;
  notifier.on('action', () => (actionAt = preciseNow())); // registered before the presenter: first to hear it
  const presenter = new PopupPresenter({ hub, notifier, clock: systemClock, settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }), openWindow: () => undefined });
  hub.add('Bench', engine);
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;

  const samples: number[] = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const invite = portal.addConfirm({ title: `Invitation ${run}`, text: 'Join the group?' });
      const polled = nextEvent(engine, 'polled');
      engine.pollNow();
      await polled;
      const calls = await pollUntil(async () => {
        const all = await bus.notifyCalls();
        const index = all.findIndex((call) => call.summary === `Invitation ${run}`);
        return index >= 0 && index + 1;
      }, 'the popup');
      const requestsBefore = portal.requestLog.length;
      await bus.pressButton(calls, 'Y'); // dbusmock numbers popups 1, 2, … in Notify order
      const arrival = await pollUntil(
        () => portal.requestLog.slice(requestsBefore).find((entry) => entry.batchCommands?.some((cmd) => cmd.includes(`NOTIFY_ID=${invite.id}&`))),
        'the confirm at the portal',
      );
      samples.push(arrival.at - actionAt);
      await pollUntil(() => engine.state.inbox.find((item) => item.id === invite.id)?.action?.status === 'done', 'the answer');
    }
  } finally {
    presenter.dispose();
    await hub.stopAll();
    await notifier.dispose();
    await client.close();
    await portal.close();
    await bus.close();
  }
  return samples;
}

async function main(): Promise<void> {
  if (!canStartSessionBus()) {
    console.log(`action latency: ${NO_SESSION_BUS}`);
    return;
  }
  const samples = await measure();
  const sorted = [...samples].sort((a, b) => a - b);
  const figures = { runs: samples.length, medianMs: Number(quantile(sorted, 0.5).toFixed(2)), p95Ms: Number(quantile(sorted, 0.95).toFixed(2)) };
  console.log('| measurement | runs | median | p95 |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| ActionInvoked → confirm at the portal | ${figures.runs} | ${figures.medianMs} ms | ${figures.p95Ms} ms |`);
  let results: Record<string, unknown>;
  try {
    results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    results = {};
  }
  results.actionInvokedToConfirm = { ...figures, measuredAt: new Date().toISOString(), node: process.version };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

await main();
