/**
 * npm run bench: every benchmark in one run, side by side, on the portal simulator over loopback.
 * Prints one table and writes bench/results.json (with the machine) for the README.
 *
 *   detection   bench/detection.ts       added on the portal → Notify (dbusmock), both intervals
 *   action      bench/action-latency.ts  ActionInvoked → confirm at the portal; window click → result
 *   requests    bench/requests.ts        requests per simulated hour, the app and a naive client
 *   footprint   bench/footprint.ts       core heap/RSS and CPU per idle poll; renderer bundle
 *   window      bench/window-render.ts   5,000 items in Chromium (when it exports measureWindowRender)
 *
 * Options: --runs N (repeats of the action latencies, default 20; detection takes 5× as many, they
 * are cheap), --window-runs N (default 5).
 */
import { parseArgs } from 'node:util';
import { measureActionLatency, type ActionLatency } from './action-latency';
import { measureDetection, type DetectionResult } from './detection';
import { measureFootprint, type FootprintResult } from './footprint';
import { machine, mergeResults } from './lib/results';
import { formatBytes, formatMs, type Summary } from './lib/stats';
import { measureRequests, type RequestsResult } from './requests';
import { measureBundle, type BundleResult } from './bundle';
import { requestsInIdleHour } from '../test/harness/push-budget';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, 'window-runs': { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const windowRuns = Number(values['window-runs']);

type Row = [measurement: string, runs: string, median: string, p95: string];
const rows: Row[] = [];
const notes: string[] = [];
const summaryRow = (label: string, figures: Summary, format = formatMs): Row => [label, String(figures.runs), format(figures.medianMs), format(figures.p95Ms)];
const valueRow = (label: string, value: string): Row => [label, '–', value, ''];
const skippedRow = (label: string, why: string): Row => [label, '–', `not measured: ${why}`, ''];

async function section<T>(name: string, measure: () => Promise<T>): Promise<T | { failed: string }> {
  const started = performance.now();
  process.stderr.write(`${name}… `);
  try {
    const result = await measure();
    process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return result;
  } catch (error) {
    process.stderr.write('failed\n');
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

const failed = (result: object): result is { failed: string } => 'failed' in result;

// ---- detection
// Most of a detection sample is the uniformly random wait for the poll: more samples, steadier median.
const detection = await section<DetectionResult>('detection', () => measureDetection({ runs: runs * 5 }));
if (failed(detection)) rows.push(skippedRow('Detection', detection.failed));
else if ('skipped' in detection) rows.push(skippedRow('Detection: added on the portal → Notify', detection.skipped));
else {
  const { defaultInterval: slow, fastestInterval: fast } = detection;
  rows.push(summaryRow(`Detection: added on the portal → Notify, default interval (${Math.round(slow.intervalMs / 1000)} s)`, slow.detection));
  rows.push(summaryRow(`Detection: added on the portal → Notify, fastest interval (${Math.round(fast.intervalMs / 1000)} s)`, fast.detection));
  rows.push(summaryRow('Detection: poll due → Notify (real time of the poll and everything after)', slow.pollToNotify));
  rows.push(summaryRow('Detection: poll response → Notify (the app’s own overhead)', slow.responseToNotify));
  rows.push(summaryRow('Detection with instant delivery (push): added on the portal → Notify', detection.push));
  notes.push(`Detection with push: ${detection.pushMethod}.`);
  notes.push(`Detection: ${detection.method}.`);
}

// ---- action
const action = await section<ActionLatency>('action', () => measureActionLatency({ runs }));
if (failed(action)) rows.push(skippedRow('Action', action.failed));
else {
  rows.push('skipped' in action.actionInvokedToConfirm ? skippedRow('Action: ActionInvoked → confirm at the portal', action.actionInvokedToConfirm.skipped) : summaryRow('Action: ActionInvoked (D-Bus) → confirm at the portal', action.actionInvokedToConfirm));
  rows.push(summaryRow('Action: window click → result shown (snapshot with the portal’s answer)', action.windowClickToResult));
}

// ---- requests
const requests = await section<RequestsResult>('requests', () => measureRequests());
if (failed(requests)) rows.push(skippedRow('Requests', requests.failed));
else {
  for (const size of requests.sizes) {
    const ratio = (app: number, naive: number): string => `${(naive / Math.max(1, app)).toFixed(1)}×`;
    const pair = (app: number, naive: number): string => `app ${app}, naive ${naive} (${ratio(app, naive)})`;
    const label = `${size.stored.toLocaleString('en')} stored`;
    rows.push(valueRow(`Requests per hour idle, ${requests.intervalMs / 1000} s interval, ${label}`, pair(size.app.idle.requests, size.naive.idle.requests)));
    rows.push(valueRow(`Requests per hour with ${size.arriving} new notifications, ${label}`, pair(size.app.news.requests, size.naive.news.requests)));
    rows.push(valueRow(`Requests per hour with ${size.arriving} new and ${size.answers} answers, ${label}`, pair(size.app.answers.requests, size.naive.answers.requests)));
    const perNew = (news: number, idle: number): string => ((news - idle) / size.arriving).toFixed(2);
    rows.push(valueRow(`Extra requests per new notification, ${label}`, `app ${perNew(size.app.news.requests, size.app.idle.requests)}, naive ${perNew(size.naive.news.requests, size.naive.idle.requests)}`));
    rows.push(valueRow(`Requests carrying the ${size.answers} answers, ${label}`, `app ${size.app.answers.carryingAnswers}, naive ${size.naive.answers.carryingAnswers}`));
    const refused = size.naive.idle.refused + size.naive.news.refused + size.naive.answers.refused + size.app.idle.refused + size.app.news.refused + size.app.answers.refused;
    if (refused > 0) notes.push(`Requests, ${label}: ${refused} refused by the portal in these hours (naive ${size.naive.idle.refused + size.naive.news.refused + size.naive.answers.refused}).`);
  }
  notes.push(`Requests: ${requests.method}. The ratio is naive ÷ app.`);
}

// ---- requests with instant delivery (issue 16)
const pushBudget = await section('push budget', async () => ({ push: await requestsInIdleHour(true), polling: await requestsInIdleHour(false) }));
if (failed(pushBudget)) rows.push(skippedRow('Requests per idle hour with push', pushBudget.failed));
else rows.push(valueRow('Requests per idle hour, one portal: instant delivery healthy vs polling at 30 s', `push ${pushBudget.push}, polling ${pushBudget.polling}`));

// ---- the packaged app (issue 14)
const bundle = await section<BundleResult>('bundle', () => measureBundle());
if (failed(bundle)) rows.push(skippedRow('Packaged app', bundle.failed));
else {
  rows.push(valueRow('app.asar (main bundle)', `${formatBytes(bundle.asarBytes)} (${formatBytes(bundle.mainBundleBytes)}); 2.50 MiB when issue 14 was filed`));
  rows.push(summaryRow('Main bundle loaded and evaluated by Node (under the Electron stand-in)', bundle.loadMs));
  notes.push(`Packaged app: ${bundle.method}.`);
}

// ---- footprint
const footprint = await section<FootprintResult>('footprint', () => measureFootprint());
if (failed(footprint)) rows.push(skippedRow('Footprint', footprint.failed));
else {
  for (const core of footprint.core) {
    rows.push(valueRow(`Core in Node, ${core.stored.toLocaleString('en')} stored (${core.inboxItems.toLocaleString('en')} in the inbox): heap used / RSS`, `${formatBytes(core.memory.heapUsed)} / ${formatBytes(core.memory.rss)}`));
  }
  const [first] = footprint.core;
  if (first) rows.push(valueRow('  the process before the core starts (Node + bundle loaded): heap / RSS', `${formatBytes(first.baseline.heapUsed)} / ${formatBytes(first.baseline.rss)}`));
  rows.push(valueRow('CPU time per idle poll (0 / 1,000 / 10,000 stored)', footprint.core.map((core) => formatMs(core.cpuUsPerIdlePoll / 1000)).join(' / ')));
  for (const core of footprint.core) {
    if (core.newItem) {
      rows.push(valueRow(`Window: bytes sent for one new notification, ${core.stored.toLocaleString('en')} stored: whole snapshots (baseline) → changes`, `${formatBytes(core.newItem.wholeSnapshotBytes)} → ${formatBytes(core.newItem.changeBytes)} (${core.newItem.messages} messages)`));
    }
  }
  for (const base of footprint.baselineCore) {
    const now = footprint.core.find((core) => core.stored === base.stored);
    if (now) rows.push(valueRow(`CPU time per idle poll, ${base.stored.toLocaleString('en')} stored: engine before the split (baseline) → now`, `${formatMs(base.cpuUsPerIdlePoll / 1000)} → ${formatMs(now.cpuUsPerIdlePoll / 1000)}`));
  }
  if ('skipped' in footprint.bundle) rows.push(skippedRow('Renderer bundle', footprint.bundle.skipped));
  else {
    rows.push(valueRow('Renderer JS, raw / gzip -9', `${formatBytes(footprint.bundle.js.rawBytes)} / ${formatBytes(footprint.bundle.js.gzipBytes)}`));
    rows.push(valueRow('Renderer CSS, raw / gzip -9', `${formatBytes(footprint.bundle.css.rawBytes)} / ${formatBytes(footprint.bundle.css.gzipBytes)}`));
  }
  notes.push(`Footprint: ${footprint.method}.`);
}

// ---- the window (another benchmark's module; used only if it offers the function)
interface RenderSummary {
  medianMs: number;
  p95Ms: number;
}
const isSummary = (value: unknown): value is RenderSummary => typeof value === 'object' && value !== null && typeof (value as RenderSummary).medianMs === 'number' && typeof (value as RenderSummary).p95Ms === 'number';
const windowModule: Record<string, unknown> = await import('./window-render');
const measureWindowRender = windowModule.measureWindowRender;
let windowResult: unknown;
if (typeof measureWindowRender !== 'function') {
  rows.push(skippedRow('Window: 5,000 items in Chromium', 'bench/window-render.ts exports no measureWindowRender'));
} else {
  windowResult = await section('window', () => (measureWindowRender as (options: { runs: number; items: number }) => Promise<unknown>)({ runs: windowRuns, items: 5_000 }));
  const render = (windowResult as { render?: Record<string, unknown> } | undefined)?.render;
  if (typeof windowResult === 'object' && windowResult !== null && 'failed' in windowResult) rows.push(skippedRow('Window: 5,000 items in Chromium', String((windowResult as { failed: string }).failed)));
  else if (render) {
    const renderRuns = String(render.runs ?? windowRuns);
    const wanted: [key: string, label: string][] = [
      ['firstScreenPainted', 'Window, 5,000 items in Chromium: opened → first screenful painted'],
      ['getStateCalledToFirstScreenPainted', 'Window, 5,000 items: the window asks for its state → first screenful painted'],
      ['scrollThrough', 'Window, 5,000 items: scroll-through to the last item'],
      ['longestFrameDuringScroll', 'Window, 5,000 items: longest frame while scrolling'],
    ];
    const baseline = (windowResult as { baseline?: Record<string, unknown> }).baseline;
    for (const [key, label] of wanted) {
      const before = baseline?.[key];
      if (isSummary(before)) rows.push([`${label} — whole snapshot (baseline)`, renderRuns, formatMs(before.medianMs), formatMs(before.p95Ms)]);
      const figures = render[key];
      if (isSummary(figures)) rows.push([`${label}${isSummary(before) ? ' — fed by changes' : ''}`, renderRuns, formatMs(figures.medianMs), formatMs(figures.p95Ms)]);
    }
    if (typeof render.chromium === 'string') notes.push(`Window: Chromium ${render.chromium}, ${String(render.viewport ?? '')}; all figures in bench/results.json under "window".`);
  }
}

// ---- print and store
const m = machine();
console.log(`\nbench on ${String(m.cpus)} × ${String(m.cpuModel)}, ${String(m.node)}, ${String(m.platform)}\n`);
console.log('| measurement | runs | median | p95 |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
for (const note of notes) console.log(`- ${note}`);

mergeResults({
  run: { measuredAt: new Date().toISOString(), machine: m, command: 'npm run bench' },
  detection,
  action,
  requests,
  footprint,
  ...(windowResult !== undefined ? { window: windowResult } : {}),
}, ['actionInvokedToConfirm']);
console.log('\nFigures written to bench/results.json.');
