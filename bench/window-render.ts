/**
 * Benchmark: what the tray window costs.
 *
 * 1. Bundle: every .js and .css in dist/renderer/assets, raw bytes and gzip -9 (node:zlib).
 * 2. 5,000 items in Debian's Chromium (playwright-core, 380×560 like the tray window).
 *    dist/renderer is read once and served on 127.0.0.1, index.html with `bench-api.js` put before
 *    the app's module (same origin: the CSP is script-src 'self'). That stub
 *    (bench/window-render-page.ts) is the preload's `api` for every method, its getState answering
 *    a generated snapshot (one portal, 300 confirms, 4,700 others, text rendered by renderRich),
 *    embedded as JSON. Each run is a fresh browser context; one warm-up run is discarded. Times
 *    are performance.now() in the page, so ms since navigation start:
 *    (a) first screenful painted: a MutationObserver sees 4 `article.item` (the 560 px window shows
 *        4 or 5), then the first task after the next frame (rAF, then a posted message).
 *    (b) scroll-through: from the top, the list is scrolled by two viewports a frame (a fast
 *        fling; each frame brings rows never drawn) from a rAF callback until the last item is
 *        drawn with the list at its end. Each frame's length (rAF to rAF) is kept: it holds the
 *        list's work, the browser's and the paint, so it is what jank is. Also the Long Tasks
 *        API's longest task, and the most `article.item` and elements of any kind in any frame.
 *    (c) jumps, on the list as loaded (before (b)): End pressed on the first item until the frame
 *        after (the last item focused), and revealItem for an item 80 % down the list until the
 *        frame after (it focused).
 *
 * Note: the 4 MB stub is part of (a): see the "bench-api.js received" row.
 *
 * Run: npm run bench:window [-- --runs N] (default 10), or npx tsx bench/window-render.ts after
 * `npx vite build --mode renderer`; `--renderer-dir DIR` measures another build of the window
 * (say, an older one, for a before-and-after). Prints tables and merges `bundle` and
 * `render5000` into bench/results.json, keeping its other keys. Other scripts call
 * measureWindowRender() for the same figures as a plain object.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../test/harness/chromium';
import { CONTENT_TYPES } from '../test/harness/preview/server';
import type { HubSnapshot } from '../main/core/app/hub';
import type { SettingsView } from '../main/core/app/settings-service';
import { compareInbox, type ActionState, type InboxItem } from '../main/core/engine/state';
import { DEFAULT_CONFIRM_BUTTONS, type NotificationAuthor, type NotificationKind } from '../main/core/notifications/model';
import { DEFAULT_SETTINGS } from '../main/core/settings/settings';
import { renderRich } from '../main/core/text/bbcode';
import { pageScript, type BenchWindow, type JumpMarks, type LoadMarks, type ScrollMarks } from './window-render-page';

const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const RESULTS_FILE = new URL('./results.json', import.meta.url);
const STUB_PATH = '/bench-api.js';
/** The whole state as JSON, fetched by the stub's getState (bench/window-render-page.ts). */
const SNAPSHOT_PATH = '/bench-snapshot.json';
/** The tray window's size (main/electron/tray-window.ts). */
const VIEWPORT = { width: 380, height: 560 };
const DEFAULT_ITEMS = 5_000;
const DEFAULT_RUNS = 10;
const CONFIRM_SHARE = 0.06;
/** The first screenful: the 560 px window shows 4 or 5 items. */
const FIRST_SCREEN_ITEMS = 4;
/** What the window asks for first (renderer/src/lib/app-state.svelte.ts FIRST_SCREEN_ITEMS). */
const FIRST_SCREEN_ITEMS_ASKED = 60;
/** Viewports scrolled per frame during the scroll-through: a fast fling. */
const SCROLL_VIEWPORTS_PER_FRAME = 2;
/** A frame longer than this is a visible stutter (three frames missed at 60 Hz). */
const JANK_FRAME_MS = 50;
const PORTAL_ORIGIN = 'https://acme.bitrix24.com';
const DAY_MS = 86_400_000;
const SCROLL_TIMEOUT_MS = 600_000;

// ---------------------------------------------------------------------------------------------
// Figures

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export interface Summary {
  medianMs: number;
  p95Ms: number;
}

function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: Number(quantile(sorted, 0.5).toFixed(1)), p95Ms: Number(quantile(sorted, 0.95).toFixed(1)) };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

interface CliOptions {
  runs: number;
  rendererDir: string | undefined;
}

function parseArgs(argv: string[]): CliOptions {
  const value = (name: string): string | undefined => {
    const at = argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
    if (at < 0) return undefined;
    const arg = argv[at] ?? '';
    return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[at + 1];
  };
  const rawRuns = value('--runs');
  const runs = rawRuns === undefined ? DEFAULT_RUNS : Number(rawRuns);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a whole number ≥ 1, not ${rawRuns ?? 'nothing'}`);
  return { runs, rendererDir: value('--renderer-dir') };
}

// ---------------------------------------------------------------------------------------------
// 1. Bundle size

/** dist/renderer read once, by URL path: a rebuild during the runs (others build too) changes nothing. */
type Build = Map<string, Buffer>;

function readBuild(rendererDir: string): Build {
  const build: Build = new Map();
  for (const name of readdirSync(rendererDir, { recursive: true, encoding: 'utf8' })) {
    const file = join(rendererDir, name);
    if (statSync(file).isFile()) build.set(`/${name.split(sep).join('/')}`, readFileSync(file));
  }
  const html = build.get('/index.html')?.toString('utf8') ?? '';
  for (const [, ref] of html.matchAll(/(?:src|href)="\.(\/assets\/[^"]+)"/g)) {
    if (ref && !build.has(ref)) throw new Error(`index.html names ${ref}, which is not there: was a build running? Build again and rerun.`);
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

/** `items` items, 6 % of them confirms (300 of 5,000). */
export function generateSnapshot(nowMs: number, items = DEFAULT_ITEMS): HubSnapshot {
  const confirms = Math.round(items * CONFIRM_SHARE);
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

  const drafts = [...Array.from({ length: confirms }, confirm), ...Array.from({ length: items - confirms }, other)]
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

async function serveWindow(build: Build, stub: string, snapshotJson: string): Promise<{ origin: string; close(): Promise<void> }> {
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
    if (path === SNAPSHOT_PATH) return send('application/json', snapshotJson);
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
// One run: a fresh context, the first screenful painted, the jumps, then a scroll-through

interface RunResult {
  load: LoadMarks;
  scroll: ScrollMarks;
  jump: JumpMarks;
}

/** Keys of the first and last items in the window's order, and an item 80 % of the way down. */
interface Landmarks {
  firstKey: string;
  lastKey: string;
  deep: { accountId: string; notificationId: number };
}

function landmarksOf(snapshot: HubSnapshot): Landmarks {
  const account = snapshot.accounts[0];
  const inbox = account?.state.inbox ?? [];
  const at = (index: number): InboxItem => {
    const item = inbox[index];
    if (!account || !item) throw new Error('The generated snapshot is empty');
    return item;
  };
  const accountId = account?.accountId ?? '';
  return {
    firstKey: `${accountId}:${at(0).id}`,
    lastKey: `${accountId}:${at(inbox.length - 1).id}`,
    deep: { accountId, notificationId: at(Math.floor(inbox.length * 0.8)).id },
  };
}

async function runOnce(browser: Browser, origin: string, landmarks: Landmarks): Promise<RunResult> {
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
    const load = await page
      .evaluate(() => {
        const probe = (window as BenchWindow).__bench;
        if (!probe) throw new Error('bench-api.js did not run before the window');
        return probe.loaded;
      })
      .catch(withProblems);
    // Fed by changes, the rest of the list streams in after the first screenful: wait for it.
    await page.evaluate(() => (window as BenchWindow).__bench?.fullyLoaded).catch(withProblems);
    // The jumps first, on the list as it loaded: a list drawn in full by the scroll-through would
    // find any item.
    const jump = await page
      .evaluate(([firstKey, lastKey, deep]) => {
        const probe = (window as BenchWindow).__bench;
        if (!probe) throw new Error('bench-api.js did not run before the window');
        return probe.jump(firstKey, lastKey, deep);
      }, [landmarks.firstKey, landmarks.lastKey, landmarks.deep] as const)
      .catch(withProblems);
    const scroll = await page
      .evaluate(
        ([lastKey, viewports, timeoutMs]) => {
          const probe = (window as BenchWindow).__bench;
          const list = document.querySelector<HTMLElement>('.list');
          if (!probe || !list) throw new Error('bench-api.js did not run before the window, or it shows no list');
          return probe.scrollThrough(lastKey, viewports * list.clientHeight, timeoutMs);
        },
        [landmarks.lastKey, SCROLL_VIEWPORTS_PER_FRAME, SCROLL_TIMEOUT_MS] as const,
      )
      .catch(withProblems);
    if (!scroll.reachedEnd) problems.push(`scrolling for ${SCROLL_TIMEOUT_MS} ms did not reach the last item`);
    if (problems.length > 0) throw new Error(`The window misbehaved:\n  ${problems.join('\n  ')}`);
    return { load, scroll, jump };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The figures as a plain object, for this CLI and for other scripts

export interface WindowRenderResult {
  bundle: {
    js: { files: number; rawBytes: number; gzipBytes: number };
    css: { files: number; rawBytes: number; gzipBytes: number };
    gzipLevel: 9;
  };
  render: {
    items: number;
    confirms: number;
    viewport: string;
    runs: number;
    /** (a) */
    firstScreenPainted: Summary & { items: number };
    firstScreenInDom: Summary;
    stubReceived: Summary;
    getStateCalled: Summary;
    getStateCalledToFirstScreenPainted: Summary;
    getStateParse: Summary;
    longestTaskDuringLoad: Summary;
    drawnItemsAtLoad: number;
    /** (b) */
    scrollThrough: Summary & { viewportsPerFrame: number; frames: number };
    /** Every frame of every run. */
    frame: Summary & { longestMs: number; over50Ms: number; count: number };
    longestFrameDuringScroll: Summary;
    longestTaskDuringScroll: Summary;
    longTaskTotalDuringScroll: Summary;
    /** The most seen in any frame of any run. */
    maxDrawnItems: number;
    maxElements: number;
    scrollStalls: number;
    forms: number;
    /** (c); null when the window does not do it (an older build). */
    endKey: (Summary & { focusedLastItem: boolean }) | null;
    revealItem: (Summary & { focusedItem: boolean }) | null;
    chromium: string;
  };
  measuredAt: string;
  node: string;
}

interface Progress {
  onRun?(label: string, result: RunResult): void;
  onStart?(line: string): void;
}

/** `wholeSnapshot`: the path before issue 15 (getState always answers with everything), the baseline. */
async function measure(options: { runs: number; items: number; rendererDir: string; wholeSnapshot?: boolean }, progress: Progress = {}): Promise<WindowRenderResult> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) throw new Error(`${options.rendererDir}index.html is missing. Build the window first: npx vite build --mode renderer`);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no ${CHROMIUM_PATH} (apt-get install chromium)`);
  const build = readBuild(options.rendererDir);
  const bundle = measureBundle(build);

  const snapshot = generateSnapshot(Date.now(), options.items);
  const landmarks = landmarksOf(snapshot);
  const snapshotJson = JSON.stringify(snapshot);
  const settings: SettingsView = {
    settings: { ...DEFAULT_SETTINGS, language: 'en' },
    portals: [{ accountId: 'acme', name: 'Acme', origin: PORTAL_ORIGIN, auth: 'webhook', color: '#2f80ed', enabled: true, mutedCategories: [], breakThroughCategories: [], unencrypted: false, instant: true }],
    autostart: { supported: false, enabled: false },
    secretProtection: 'os',
  };
  // Fed by changes, the window asks for the first screenful of each inbox first (app-state.svelte.ts).
  const firstScreen = { ...snapshot, accounts: snapshot.accounts.map((account) => ({ ...account, state: { ...account.state, inbox: account.state.inbox.slice(0, FIRST_SCREEN_ITEMS_ASKED) } })) };
  const firstScreenJson = options.wholeSnapshot ? undefined : JSON.stringify(firstScreen);
  const stub = pageScript({ snapshotUrl: SNAPSHOT_PATH, ...(firstScreenJson ? { firstScreenJson } : {}), appInfo: { version: 'bench', platform: process.platform }, settings, firstItems: FIRST_SCREEN_ITEMS, loadTimeoutMs: 60_000 });
  const server = await serveWindow(build, stub, snapshotJson);
  let browser: Browser | undefined;
  const results: RunResult[] = [];
  let chromiumVersion: string;
  try {
    browser = await launchChromium();
    chromiumVersion = browser.version();
    progress.onStart?.(`Chromium ${chromiumVersion}, ${VIEWPORT.width}×${VIEWPORT.height}, ${options.items} items, snapshot ${kib(snapshotJson.length)} of JSON`);
    for (let run = 0; run <= options.runs; run += 1) {
      const result = await runOnce(browser, server.origin, landmarks);
      progress.onRun?.(run === 0 ? 'warm-up (discarded)' : `run ${run}/${options.runs}`, result);
      if (run > 0) results.push(result);
    }
  } finally {
    await browser?.close();
    await server.close();
  }

  const allFrames = results.flatMap((r) => r.scroll.frameMs);
  const jumpsWork = results.every((r) => r.jump.endKeyFocused);
  const revealWorks = results.every((r) => r.jump.revealFocused);
  return {
    bundle: {
      js: { files: bundle.js.files.length, rawBytes: bundle.js.rawBytes, gzipBytes: bundle.js.gzipBytes },
      css: { files: bundle.css.files.length, rawBytes: bundle.css.rawBytes, gzipBytes: bundle.css.gzipBytes },
      gzipLevel: 9,
    },
    render: {
      items: options.items,
      confirms: Math.round(options.items * CONFIRM_SHARE),
      viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      runs: results.length,
      firstScreenPainted: { items: FIRST_SCREEN_ITEMS, ...summarize(results.map((r) => r.load.firstItemsPaintedMs)) },
      firstScreenInDom: summarize(results.map((r) => r.load.firstItemsDomMs)),
      stubReceived: summarize(results.map((r) => r.load.stubResponseEndMs ?? Number.NaN)),
      getStateCalled: summarize(results.map((r) => r.load.getStateCalledMs)),
      getStateCalledToFirstScreenPainted: summarize(results.map((r) => r.load.firstItemsPaintedMs - r.load.getStateCalledMs)),
      getStateParse: summarize(results.map((r) => r.load.getStateParseMs)),
      longestTaskDuringLoad: summarize(results.map((r) => r.load.longestTaskMs)),
      drawnItemsAtLoad: Math.max(...results.map((r) => r.load.drawnItems)),
      scrollThrough: {
        viewportsPerFrame: SCROLL_VIEWPORTS_PER_FRAME,
        frames: Math.round(allFrames.length / Math.max(1, results.length)),
        ...summarize(results.map((r) => r.scroll.totalMs)),
      },
      frame: {
        ...summarize(allFrames),
        longestMs: Number(Math.max(0, ...allFrames).toFixed(1)),
        over50Ms: allFrames.filter((ms) => ms > JANK_FRAME_MS).length,
        count: allFrames.length,
      },
      longestFrameDuringScroll: summarize(results.map((r) => Math.max(0, ...r.scroll.frameMs))),
      longestTaskDuringScroll: summarize(results.map((r) => r.scroll.longestTaskMs)),
      longTaskTotalDuringScroll: summarize(results.map((r) => r.scroll.longTaskTotalMs)),
      maxDrawnItems: Math.max(...results.map((r) => r.scroll.maxDrawnItems)),
      maxElements: Math.max(...results.map((r) => r.scroll.maxElements)),
      scrollStalls: results.reduce((sum, r) => sum + r.scroll.stalls, 0),
      forms: Math.max(...results.map((r) => r.scroll.forms)),
      endKey: jumpsWork ? { focusedLastItem: true, ...summarize(results.map((r) => r.jump.endKeyMs)) } : null,
      revealItem: revealWorks ? { focusedItem: true, ...summarize(results.map((r) => r.jump.revealMs)) } : null,
      chromium: chromiumVersion,
    },
    measuredAt: new Date().toISOString(),
    node: process.version,
  };
}

/**
 * The window's figures: bundle size, then `items` items (default 5,000) loaded, scrolled through
 * and jumped across in Chromium, `runs` times (default 10) after a discarded warm-up. Needs
 * /usr/bin/chromium and a renderer build (npx vite build --mode renderer).
 */
export async function measureWindowRender(options: { runs?: number; items?: number } = {}): Promise<WindowRenderResult & { baseline: WindowRenderResult['render'] }> {
  const common = { runs: options.runs ?? DEFAULT_RUNS, items: options.items ?? DEFAULT_ITEMS, rendererDir: RENDERER_DIR };
  // Side by side in one run: the whole-snapshot path first, then the window fed by changes.
  const whole = await measure({ ...common, wholeSnapshot: true });
  const changes = await measure(common);
  return { ...changes, baseline: whole.render };
}

// ---------------------------------------------------------------------------------------------
// The CLI

function printResult(result: WindowRenderResult): void {
  const { bundle, render } = result;
  console.log('| renderer asset | files | raw | gzip -9 |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, size] of [['JS', bundle.js], ['CSS', bundle.css]] as const) {
    console.log(`| ${label} | ${size.files} | ${size.rawBytes} B (${kib(size.rawBytes)}) | ${size.gzipBytes} B (${kib(size.gzipBytes)}) |`);
  }
  const ms = (value: number): string => `${value} ms`;
  const row = (label: string, summary: Summary, count: number | string = render.runs): string => `| ${label} | ${count} | ${ms(summary.medianMs)} | ${ms(summary.p95Ms)} |`;
  console.log('');
  console.log(`| measurement (${render.items} items) | runs | median | p95 |`);
  console.log('| --- | --- | --- | --- |');
  console.log(row(`(a) navigation → first screenful (${render.firstScreenPainted.items} items) painted`, render.firstScreenPainted));
  console.log(row('    navigation → first screenful in the DOM', render.firstScreenInDom));
  console.log(row('    navigation → bench-api.js received (the stub; not in the app)', render.stubReceived));
  console.log(row('    navigation → the window calls getState', render.getStateCalled));
  console.log(row('    getState called → first screenful painted', render.getStateCalledToFirstScreenPainted));
  console.log(row('    JSON.parse of the snapshot in getState (stands in for IPC)', render.getStateParse));
  console.log(row('    longest task (Long Tasks API) until painted', render.longestTaskDuringLoad));
  console.log(row(`(b) scroll-through to the last item, ${render.scrollThrough.viewportsPerFrame} viewports a frame (${render.scrollThrough.frames} frames)`, render.scrollThrough));
  console.log(row('    one frame while scrolling (every frame of every run)', render.frame, render.frame.count));
  console.log(row('    longest frame while scrolling', render.longestFrameDuringScroll));
  console.log(row('    longest task (Long Tasks API) while scrolling', render.longestTaskDuringScroll));
  console.log(row('    long tasks while scrolling, summed', render.longTaskTotalDuringScroll));
  console.log(render.endKey ? row('(c) End on the first item → last item focused, painted', render.endKey) : '| (c) End on the first item | – | does not reach the last item | |');
  console.log(render.revealItem ? row('    revealItem 80 % down → item focused, painted', render.revealItem) : '|     revealItem 80 % down | – | does not focus the item | |');
  console.log('');
  console.log(
    `Frames over ${JANK_FRAME_MS} ms: ${render.frame.over50Ms} of ${render.frame.count} (longest ${render.frame.longestMs} ms). Items drawn: ${render.drawnItemsAtLoad} at load, at most ${render.maxDrawnItems} while scrolling; at most ${render.maxElements} elements in the page. Scroll stalls: ${render.scrollStalls}. Forms at the end: ${render.forms}.`,
  );
}

async function main(): Promise<number> {
  let cli: CliOptions;
  try {
    cli = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`window-render: ${(error as Error).message}`);
    return 1;
  }
  const rendererDir = cli.rendererDir ? `${resolve(cli.rendererDir)}${sep}` : RENDERER_DIR;
  let result: WindowRenderResult;
  try {
    result = await measure(
      { runs: cli.runs, items: DEFAULT_ITEMS, rendererDir },
      {
        onStart: (line) => console.log(line),
        onRun: (label, run) =>
          console.log(
            `  ${label}: first screenful painted at ${run.load.firstItemsPaintedMs.toFixed(0)} ms; scrolled to the end in ${run.scroll.totalMs.toFixed(0)} ms (${run.scroll.frameMs.length} frames, longest ${Math.max(0, ...run.scroll.frameMs).toFixed(0)} ms; longest task ${run.scroll.longestTaskMs.toFixed(0)} ms; at most ${run.scroll.maxDrawnItems} items drawn); End ${run.jump.endKeyFocused ? `${run.jump.endKeyMs.toFixed(0)} ms` : 'no'}, reveal ${run.jump.revealFocused ? `${run.jump.revealMs.toFixed(0)} ms` : 'no'}`,
          ),
      },
    );
  } catch (error) {
    console.error(`window-render: ${(error as Error).message}`);
    return 1;
  }
  console.log('');
  printResult(result);
  if (cli.rendererDir) {
    console.log('\n(Another build of the window: bench/results.json left as it was.)');
    return 0;
  }

  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    stored = {};
  }
  stored.bundle = { ...result.bundle, measuredAt: result.measuredAt };
  stored[`render${result.render.items}`] = { ...result.render, measuredAt: result.measuredAt, node: result.node };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(stored, null, 2)}\n`);
  return 0;
}

// The CLI only when run as a script, not when another script imports measureWindowRender.
const runAsScript = ((): boolean => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (runAsScript) process.exitCode = await main();
