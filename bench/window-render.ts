/**
 * Benchmark: what the tray window costs.
 *
 * 1. Bundle: every .js and .css in dist/renderer/assets, raw bytes and gzip -9 (node:zlib).
 * 2. Rendering 5,000 items in Debian's Chromium (playwright-core, 380×560 like the tray window).
 *    dist/renderer is read once and served on 127.0.0.1, index.html with `bench-api.js` put before
 *    the app's module (same origin: the CSP is script-src 'self'). That stub
 *    (bench/window-render-page.ts) is the preload's `api` for every method, its getState answering
 *    a generated snapshot (one portal, 300 confirms, 4,700 others, text rendered by renderRich),
 *    embedded as JSON. Each run is a fresh browser context; one warm-up run is discarded. Times
 *    are performance.now() in the page, so ms since navigation start:
 *    (a) first 100 items painted: a MutationObserver sees 100 `article.item`, then the first task
 *        after the next frame (rAF, then a posted message) is "painted".
 *    (b) all 5,000 revealed: scroll `.list` to its end, wait until the window adds items, wait
 *        for their frame, repeat; from the first scroll to the frame after the last page.
 *        When a scroll to the end reveals nothing for 6 frames (the "Show more" sentinel stayed
 *        in view, so its IntersectionObserver saw no change), the list is scrolled up past the
 *        observer's range for a frame and down again; these stalls are counted.
 *    (c) longest task during (b) from PerformanceObserver('longtask'), and the longest gap
 *        between animation frames, which also catches the browser's own main-thread work.
 *
 * Note on (b): Chromium's autofill agent (not part of Electron) re-extracts every <form> after
 * each DOM change, and each item that allows a reply has one, so in Chromium most of (b) is that
 * work, growing with the list; the Long Tasks API does not report it, the frame gap does.
 * Also, the 4 MB stub is part of (a): see the "bench-api.js received" row.
 *
 * Run: npm run build && npx tsx bench/window-render.ts [--runs N] (default 10; a run takes about
 * 1.5 minutes in Chromium). Prints tables and merges `bundle` and `render5000` into
 * bench/results.json, keeping its other keys.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { CONTENT_TYPES } from '../test/harness/preview/server';
import type { HubSnapshot } from '../main/core/app/hub';
import type { SettingsView } from '../main/core/app/settings-service';
import { compareInbox, type ActionState, type InboxItem } from '../main/core/engine/state';
import { DEFAULT_CONFIRM_BUTTONS, type NotificationAuthor, type NotificationKind } from '../main/core/notifications/model';
import { DEFAULT_SETTINGS } from '../main/core/settings/settings';
import { renderRich } from '../main/core/text/bbcode';
import { pageScript, type BenchWindow, type LoadMarks, type RevealMarks } from './window-render-page';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const RESULTS_FILE = new URL('./results.json', import.meta.url);
const STUB_PATH = '/bench-api.js';
/** The tray window's size (main/electron/tray-window.ts). */
const VIEWPORT = { width: 380, height: 560 };
const TOTAL_ITEMS = 5_000;
const CONFIRMS = 300;
/** The window's PAGE_SIZE (renderer/src/App.svelte). */
const FIRST_PAGE = 50;
const PORTAL_ORIGIN = 'https://acme.bitrix24.com';
const DAY_MS = 86_400_000;
const REVEAL_TIMEOUT_MS = 600_000;

// ---------------------------------------------------------------------------------------------
// Figures

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

interface Summary {
  medianMs: number;
  p95Ms: number;
}

function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: Number(quantile(sorted, 0.5).toFixed(1)), p95Ms: Number(quantile(sorted, 0.95).toFixed(1)) };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function parseRuns(argv: string[]): number {
  const at = argv.findIndex((arg) => arg === '--runs' || arg.startsWith('--runs='));
  if (at < 0) return 10;
  const arg = argv[at] ?? '';
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[at + 1];
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a whole number ≥ 1, not ${raw ?? 'nothing'}`);
  return runs;
}

// ---------------------------------------------------------------------------------------------
// 1. Bundle size

/** dist/renderer read once, by URL path: a rebuild during the runs (others build too) changes nothing. */
type Build = Map<string, Buffer>;

function readBuild(): Build {
  const build: Build = new Map();
  for (const name of readdirSync(RENDERER_DIR, { recursive: true, encoding: 'utf8' })) {
    const file = join(RENDERER_DIR, name);
    if (statSync(file).isFile()) build.set(`/${name.split(sep).join('/')}`, readFileSync(file));
  }
  const html = build.get('/index.html')?.toString('utf8') ?? '';
  for (const [, ref] of html.matchAll(/(?:src|href)="\.(\/assets\/[^"]+)"/g)) {
    if (ref && !build.has(ref)) throw new Error(`dist/renderer/index.html names ${ref}, which is not there: was a build running? Build again and rerun.`);
  }
  return build;
}

interface AssetSize {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

function measureBundle(build: Build): { js: AssetSize; css: AssetSize } {
  const sizeOf = (ext: string): AssetSize => {
    const files = [...build.keys()].filter((path) => path.startsWith('/assets/') && extname(path) === ext).sort();
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const path of files) {
      const content = build.get(path) ?? Buffer.alloc(0);
      rawBytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { files, rawBytes, gzipBytes };
  };
  return { js: sizeOf('.js'), css: sizeOf('.css') };
}

// ---------------------------------------------------------------------------------------------
// 2. The snapshot: one portal, 5,000 items much like a busy portal's

/** mulberry32: the same inbox on every run and machine (only dates follow the clock). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const NAMES = [
  'Anna Petrova', 'Marco Rossi', 'Li Wei', 'Sofía García', 'Jan Kowalski', 'Aisha Khan', 'Tom Becker', 'Olga Ivanova',
  'Lucas Martin', 'Emma Johansson', 'Yuki Tanaka', 'Carlos Silva', 'Fatima Zahra', 'Pieter de Vries', 'Chloé Dubois',
  'Mehmet Yılmaz', 'Nina Schulz', 'Ravi Sharma', 'Grace O’Neill', 'Dmitry Sokolov', 'Hana Novák', 'Kofi Mensah',
  'Isabel Costa', 'Sven Lindqvist',
];
const COLORS = ['#df532d', '#4ba984', '#ab7761', '#29619b', '#728f7a', '#ba9c7b', '#e8a441', '#556574', '#909090', '#5e5f5e'];
const SENTENCES = [
  'Please check the figures before Friday.',
  'The client asked for a revised quote with the new discount.',
  'I have attached the signed contract and the delivery schedule.',
  'Can we move the review to next week?',
  'The build for the new landing page is ready for testing.',
  'Marketing wants the banner in three sizes, see the brief.',
  'Budget approved, the purchase order goes out tomorrow.',
  'Thanks, looks good to me!',
  'The warehouse reports 12 pallets short on the last shipment.',
  'Let’s discuss the onboarding plan at the weekly sync.',
  'Reminder: the quarterly report is due at the end of the month.',
  'Support ticket #4821 was escalated to the second line.',
];
const TASKS = ['Prepare Q3 report', 'Update price list', 'Renew SSL certificates', 'Onboard new sales rep', 'Fix checkout bug', 'Plan trade show'];
const GROUPS = ['Marketing & Sales', 'Product team', 'Warehouse', 'Berlin office', 'Customer success'];
const DEALS = ['Northwind: 40 licenses', 'Contoso renewal', 'Fabrikam pilot', 'Globex expansion'];
const STAGES = ['Negotiation', 'Proposal sent', 'Won', 'Invoice issued'];

function generateSnapshot(nowMs: number): HubSnapshot {
  const random = seededRandom(24_2024);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const chance = (p: number): boolean => random() < p;
  const authors: NotificationAuthor[] = NAMES.map((name, index) => ({ id: index + 2, name, avatarUrl: undefined, color: COLORS[index % COLORS.length] }));
  const mention = (author: NotificationAuthor): string => `[USER=${author.id}]${author.name}[/USER]`;
  const sentences = (): string => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(SENTENCES)).join(' ');
  const number = (): number => 100 + Math.floor(random() * 9_000);

  type Draft = Omit<InboxItem, 'id' | 'rich' | 'dateMs' | 'settingName' | 'tag'>;
  const confirm = (): Draft => {
    const author = pick(authors);
    const [title, text, module, event] = pick([
      ['Invitation to join group', `${mention(author)} invites you to join the group [URL=/workgroups/group/${number()}/]${pick(GROUPS)}[/URL].`, 'socialnetwork', 'invite_group'],
      ['Event invitation', `${mention(author)} invites you to [B]${pick(TASKS)} kick-off[/B] on Tuesday, 10:00.#BR#[URL=/company/personal/user/1/calendar/?EVENT_ID=${number()}]Open the event[/URL]`, 'calendar', 'invite'],
      ['', `${mention(author)} asks you to approve a leave request.[BR][QUOTE]${sentences()}[/QUOTE]`, 'bizproc', 'activity'],
    ] as const);
    const action: ActionState | undefined = chance(0.03)
      ? { status: 'done', kind: 'confirm', value: 'Y', resultMessages: [], gone: chance(0.3) }
      : chance(0.01)
        ? { status: 'sending', kind: 'confirm', value: 'Y' }
        : undefined;
    return { kind: 'confirm', title, text, module, event, read: false, author, buttons: [...DEFAULT_CONFIRM_BUTTONS], canAnswer: false, action };
  };
  const other = (): Draft => {
    const author = pick(authors);
    const kind: NotificationKind = chance(0.7) ? 'from-user' : 'system';
    const [title, text, module, event] =
      kind === 'from-user'
        ? pick([
            ['', `${mention(author)} added a comment to task [URL=/company/personal/user/1/tasks/task/view/${number()}/]${pick(TASKS)}[/URL]:[BR]${sentences()}`, 'tasks', 'comment'],
            ['', `${mention(author)} mentioned you in a post “[URL=/company/personal/log/${number()}/]${pick(TASKS)}[/URL]”`, 'blog', 'mention'],
            ['Deal stage changed', `Deal [URL=/crm/deal/details/${number()}/]${pick(DEALS)}[/URL] moved to [B]${pick(STAGES)}[/B] by ${mention(author)}`, 'crm', 'changed_stage'],
            ['', `${mention(author)} replied to your comment:[BR][QUOTE]${pick(SENTENCES)}[/QUOTE]${sentences()}`, 'forum', 'comment'],
            ['Task assigned', `${mention(author)} assigned you the task [URL=/company/personal/user/1/tasks/task/view/${number()}/][I]${pick(TASKS)}[/I][/URL], deadline [B]Friday[/B].`, 'tasks', 'manage'],
          ] as const)
        : pick([
            ['Reminder', `Meeting [B]${pick(TASKS)}[/B] starts in 15 minutes.#BR#Room: 4.12`, 'calendar', 'reminder'],
            ['License', `Your plan ends in [COLOR=#d93025]7 days[/COLOR]. [URL=/settings/license_all.php]Renew the license[/URL] to keep your data.`, 'bitrix24', 'license'],
            ['Disk', `The file [URL=/docs/file/${number()}/]Report_${number()}.xlsx[/URL] was shared with you. ${pick(SENTENCES)}`, 'disk', 'share'],
            ['', `Your export of [B]${number()}[/B] contacts is ready: [URL=https://acme.bitrix24.com/crm/export/${number()}/]download[/URL]`, 'crm', 'export'],
          ] as const);
    const canAnswer = kind === 'from-user' && chance(0.3);
    const action: ActionState | undefined = canAnswer && chance(0.05) ? { status: 'done', kind: 'answer', value: 'Thanks!', resultMessages: [], gone: false } : undefined;
    return { kind, title, text, module, event, read: chance(0.7), author: kind === 'system' ? undefined : author, buttons: [], canAnswer, action };
  };

  const drafts = [...Array.from({ length: CONFIRMS }, confirm), ...Array.from({ length: TOTAL_ITEMS - CONFIRMS }, other)]
    .map((draft) => ({ draft, dateMs: Math.round(nowMs - random() * 60 * DAY_MS) }))
    .sort((a, b) => a.dateMs - b.dateMs);
  // Ids grow with time, as a portal's do.
  const inbox: InboxItem[] = drafts
    .map(({ draft, dateMs }, index) => {
      const id = 250_000 + index * 3;
      return {
        ...draft,
        id,
        dateMs,
        settingName: `${draft.module}|${draft.event}`,
        tag: `${draft.module.toUpperCase()}|${draft.event.toUpperCase()}|${id}`,
        rich: renderRich(draft.text, PORTAL_ORIGIN),
      };
    })
    .sort(compareInbox);
  const unread = inbox.filter((item) => !item.read).length;
  return {
    accounts: [
      {
        accountId: 'acme',
        name: 'Acme',
        state: {
          accountId: 'acme',
          portalOrigin: PORTAL_ORIGIN,
          connection: { status: 'ok' },
          inbox,
          unreadCount: Math.min(100, unread),
          lastSyncAt: nowMs,
          skippedItems: 0,
        },
      },
    ],
    unreadCount: Math.min(100, unread),
  };
}

// ---------------------------------------------------------------------------------------------
// The built window on loopback, with the stub loaded first

async function serveWindow(build: Build, stub: string): Promise<{ origin: string; close(): Promise<void> }> {
  const original = build.get('/index.html')?.toString('utf8') ?? '';
  const moduleAt = original.indexOf('<script type="module"');
  if (moduleAt < 0) throw new Error('dist/renderer/index.html has no <script type="module">: the bench cannot put its api first');
  // A same-origin file, not inline: the page's CSP is script-src 'self'.
  const html = `${original.slice(0, moduleAt)}<script src=".${STUB_PATH}"></script>\n    ${original.slice(moduleAt)}`;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bench.invalid').pathname;
    const send = (type: string, body: string | Buffer): void => void res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/' || path === '/index.html') return send(CONTENT_TYPES['.html'] ?? '', html);
    if (path === STUB_PATH) return send(CONTENT_TYPES['.js'] ?? '', stub);
    const file = build.get(path);
    if (!file) return void res.writeHead(404).end();
    send(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', file);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// One run: a fresh context, the first page painted, then everything revealed

interface RunResult {
  load: LoadMarks;
  reveal: RevealMarks;
}

async function runOnce(browser: Browser, origin: string): Promise<RunResult> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    // Loopback only: the generated items have no avatars and nothing is clicked, so nothing leaves.
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin && !request.url().startsWith('data:')) problems.push(`request off loopback: ${request.url()}`);
    });
    const withProblems = (error: unknown): never => {
      throw new Error([error instanceof Error ? error.message : String(error), ...problems].join('\n  '));
    };
    await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
    const load = await page.evaluate(() => {
      const probe = (window as BenchWindow).__bench;
      if (!probe) throw new Error('bench-api.js did not run before the window');
      return probe.loaded;
    }).catch(withProblems);
    const reveal = await page.evaluate(
      ([expected, timeoutMs]) => {
        const probe = (window as BenchWindow).__bench;
        if (!probe) throw new Error('bench-api.js did not run before the window');
        return probe.revealAll(expected, timeoutMs);
      },
      [TOTAL_ITEMS, REVEAL_TIMEOUT_MS] as const,
    ).catch(withProblems);
    if (reveal.items !== TOTAL_ITEMS) problems.push(`the list shows ${reveal.items} items, not ${TOTAL_ITEMS}`);
    if (problems.length > 0) throw new Error(`The window misbehaved:\n  ${problems.join('\n  ')}`);
    return { load, reveal };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let runs: number;
  try {
    runs = parseRuns(process.argv.slice(2));
  } catch (error) {
    console.error(`window-render: ${(error as Error).message}`);
    return 1;
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    console.error('window-render: dist/renderer/index.html is missing. Build the window first: npm run build');
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`window-render: no ${CHROMIUM} (apt-get install chromium)`);
    return 1;
  }

  // 1. Bundle size
  const build = readBuild();
  const bundle = measureBundle(build);
  console.log('| renderer asset | files | raw | gzip -9 |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, size] of [['JS', bundle.js], ['CSS', bundle.css]] as const) {
    console.log(`| ${label} | ${size.files.length} | ${size.rawBytes} B (${kib(size.rawBytes)}) | ${size.gzipBytes} B (${kib(size.gzipBytes)}) |`);
  }
  console.log('');

  // 2. Render 5,000 items
  const nowMs = Date.now();
  const snapshot = generateSnapshot(nowMs);
  const snapshotJson = JSON.stringify(snapshot);
  const settings: SettingsView = {
    settings: { ...DEFAULT_SETTINGS, language: 'en' },
    portals: [{ accountId: 'acme', name: 'Acme', origin: PORTAL_ORIGIN, auth: 'webhook' }],
    autostart: { supported: false, enabled: false },
    secretProtection: 'os',
  };
  const stub = pageScript({ snapshotJson, appInfo: { version: 'bench', platform: process.platform }, settings, firstItems: FIRST_PAGE, loadTimeoutMs: 60_000 });
  const server = await serveWindow(build, stub);
  let browser: Browser | undefined;
  const results: RunResult[] = [];
  let chromiumVersion: string;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    chromiumVersion = browser.version();
    console.log(`Chromium ${chromiumVersion}, ${VIEWPORT.width}×${VIEWPORT.height}, ${TOTAL_ITEMS} items (${CONFIRMS} confirms), snapshot ${kib(snapshotJson.length)} of JSON`);
    for (let run = 0; run <= runs; run += 1) {
      const result = await runOnce(browser, server.origin);
      const label = run === 0 ? 'warm-up (discarded)' : `run ${run}/${runs}`;
      console.log(
        `  ${label}: first ${FIRST_PAGE} painted at ${result.load.firstItemsPaintedMs.toFixed(0)} ms; all ${TOTAL_ITEMS} after ${result.reveal.totalMs.toFixed(0)} ms of scrolling (${result.reveal.stalls} stalls); longest task ${result.reveal.longestTaskMs.toFixed(0)} ms, longest frame gap ${result.reveal.longestFrameMs.toFixed(0)} ms`,
      );
      if (run > 0) results.push(result);
    }
  } finally {
    await browser?.close();
    await server.close();
  }

  const firstPainted = summarize(results.map((r) => r.load.firstItemsPaintedMs));
  const firstDom = summarize(results.map((r) => r.load.firstItemsDomMs));
  const getStateParse = summarize(results.map((r) => r.load.getStateParseMs));
  const stubLoaded = summarize(results.map((r) => r.load.stubResponseEndMs ?? Number.NaN));
  const getStateCalled = summarize(results.map((r) => r.load.getStateCalledMs));
  const stateToPainted = summarize(results.map((r) => r.load.firstItemsPaintedMs - r.load.getStateCalledMs));
  const longestLoadTask = summarize(results.map((r) => r.load.longestTaskMs));
  const revealAll = summarize(results.map((r) => r.reveal.totalMs));
  const firstSteps = summarize(results.flatMap((r) => r.reveal.stepMs.slice(0, 5)));
  const lastSteps = summarize(results.flatMap((r) => r.reveal.stepMs.slice(-5)));
  const stalls = summarize(results.map((r) => r.reveal.stalls));
  const longestRevealTask = summarize(results.map((r) => r.reveal.longestTaskMs));
  const longTaskTotal = summarize(results.map((r) => r.reveal.longTaskTotalMs));
  const longestFrame = summarize(results.map((r) => r.reveal.longestFrameMs));
  const steps = results[0]?.reveal.steps ?? 0;
  const forms = results[0]?.reveal.forms ?? 0;

  const ms = (value: number): string => `${value} ms`;
  const row = (label: string, summary: Summary, count: number | string = results.length, unit = ms): string =>
    `| ${label} | ${count} | ${unit(summary.medianMs)} | ${unit(summary.p95Ms)} |`;
  console.log('');
  console.log(`| measurement (${TOTAL_ITEMS} items) | runs | median | p95 |`);
  console.log('| --- | --- | --- | --- |');
  console.log(row(`(a) navigation → first ${FIRST_PAGE} items painted`, firstPainted));
  console.log(row(`    navigation → first ${FIRST_PAGE} items in the DOM`, firstDom));
  console.log(row('    navigation → bench-api.js received (the stub and its snapshot; not in the app)', stubLoaded));
  console.log(row('    navigation → the window calls getState', getStateCalled));
  console.log(row(`    getState called → first ${FIRST_PAGE} items painted`, stateToPainted));
  console.log(row('    JSON.parse of the snapshot in getState (stands in for IPC)', getStateParse));
  console.log(row('    longest task (Long Tasks API) until painted', longestLoadTask));
  console.log(row(`(b) scrolling to the end until all ${TOTAL_ITEMS} are painted (${steps} pages)`, revealAll));
  console.log(row('    one page, among the first 5: scroll → painted', firstSteps, `${results.length}×5`));
  console.log(row('    one page, among the last 5: scroll → painted', lastSteps, `${results.length}×5`));
  console.log(row('    scrolls that revealed nothing (sentinel stuck in view)', stalls, results.length, String));
  console.log(row('(c) longest task (Long Tasks API) during (b)', longestRevealTask));
  console.log(row('    long tasks during (b), summed', longTaskTotal));
  console.log(row('    longest gap between frames during (b)', longestFrame));
  console.log(`\nReply forms in the list at the end: ${forms} (see the note at the top of bench/window-render.ts).`);

  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const measuredAt = new Date().toISOString();
  stored.bundle = {
    js: { files: bundle.js.files.length, rawBytes: bundle.js.rawBytes, gzipBytes: bundle.js.gzipBytes },
    css: { files: bundle.css.files.length, rawBytes: bundle.css.rawBytes, gzipBytes: bundle.css.gzipBytes },
    gzipLevel: 9,
    measuredAt,
  };
  stored.render5000 = {
    items: TOTAL_ITEMS,
    confirms: CONFIRMS,
    viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
    runs: results.length,
    firstItemsPainted: { items: FIRST_PAGE, ...firstPainted },
    firstItemsInDom: firstDom,
    stubReceived: stubLoaded,
    getStateCalled,
    getStateCalledToFirstItemsPainted: stateToPainted,
    getStateParse,
    longestTaskDuringLoad: longestLoadTask,
    revealAll: { steps, ...revealAll },
    revealPageFirst5: firstSteps,
    revealPageLast5: lastSteps,
    revealStalls: { median: stalls.medianMs, p95: stalls.p95Ms },
    longestTaskDuringReveal: longestRevealTask,
    longTaskTotalDuringReveal: longTaskTotal,
    longestFrameGapDuringReveal: longestFrame,
    replyForms: forms,
    measuredAt,
    chromium: chromiumVersion,
    node: process.version,
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(stored, null, 2)}\n`);
  return 0;
}

process.exitCode = await main();
