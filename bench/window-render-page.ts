/**
 * The page side of bench/window-render.ts: a stand-in for the preload's `api` and the in-page
 * probes, served as `bench-api.js` and loaded before the window's own module.
 *
 * `installBenchPage` is turned into source text with String(), so its body may use nothing from
 * this module's scope (only types come from outside) and must stay plain enough for any browser.
 */
import type { HubSnapshot } from '../main/core/app/hub';
import type { SettingsView } from '../main/core/app/settings-service';
import type { Api } from '../main/preload';
import type { ActionAccepted, AppInfo, IpcEventContract, IpcEvents } from '../main/shared/ipc-contract';

export interface PageConfig {
  /** The HubSnapshot as JSON: each getState parses it anew, as IPC would deserialize it. */
  snapshotJson: string;
  appInfo: AppInfo;
  /** What getSettings answers; updates change it in the page. */
  settings: SettingsView;
  /** The window's first page: the load is done when this many `article.item` exist. */
  firstItems: number;
  /** From the stub's start: the first page not shown by then fails the run. */
  loadTimeoutMs: number;
}

/** All times are performance.now() in the page: ms since its navigation started. */
export interface LoadMarks {
  getStateCalledMs: number;
  /** JSON.parse of the snapshot inside getState (stands in for IPC deserialization). */
  getStateParseMs: number;
  /** A MutationObserver saw `firstItems` items in the DOM (end of the render that added them). */
  firstItemsDomMs: number;
  /** First task after the next frame's rendering (rAF, then a posted message). */
  firstItemsPaintedMs: number;
  /** `bench-api.js` fully received: the stub's own download, which the real app does not have. */
  stubResponseEndMs: number | undefined;
  longestTaskMs: number;
}

export interface RevealMarks {
  items: number;
  /** First scroll → the last item in the DOM. */
  domMs: number;
  /** First scroll → the frame after the last item was added (as firstItemsPaintedMs). */
  totalMs: number;
  /** Pages revealed (the window's PAGE_SIZE items each). */
  steps: number;
  /** Scrolls to the end that revealed nothing until the list was scrolled away and back. */
  stalls: number;
  /** Each step: first scroll → the new items painted (the next scroll starts then). */
  stepMs: number[];
  /** Each step: first scroll → the new items in the DOM (the IntersectionObserver's frame, then the render). */
  stepDomMs: number[];
  /** Long tasks (> 50 ms) that started during the reveal. */
  longTasks: number;
  longTaskTotalMs: number;
  longestTaskMs: number;
  /** The longest wait between two animation frames during the reveal. */
  longestFrameMs: number;
  /** <form> elements in the page at the end (each reply box is one). */
  forms: number;
}

export interface BenchProbe {
  loaded: Promise<LoadMarks>;
  revealAll(expected: number, timeoutMs: number): Promise<RevealMarks>;
}

export type BenchWindow = Window & { api?: Api; __bench?: BenchProbe };

export function installBenchPage(config: PageConfig): void {
  const now = (): number => performance.now();
  const ok = <T>(value: T): Promise<{ ok: true; value: T }> => Promise.resolve({ ok: true, value });
  const accepted: ActionAccepted = { queued: true };
  type Listeners<E extends keyof IpcEventContract> = Set<(payload: IpcEventContract[E]) => void>;
  const stateListeners: Listeners<typeof IpcEvents.stateChanged> = new Set();
  const soundListeners = new Set<() => void>();
  const revealListeners: Listeners<typeof IpcEvents.revealItem> = new Set();
  const listen = <L>(set: Set<L>, listener: L): (() => void) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  let settings = config.settings;
  let getStateCalledMs = Number.NaN;
  let getStateParseMs = Number.NaN;
  const api: Api = {
    appInfo: () => ok(config.appInfo),
    getState: () => {
      getStateCalledMs = now();
      const snapshot = JSON.parse(config.snapshotJson) as HubSnapshot;
      getStateParseMs = now() - getStateCalledMs;
      return ok(snapshot);
    },
    confirm: () => ok(accepted),
    answer: () => ok(accepted),
    pollNow: () => ok(null),
    connectWebhook: (request) => ok({ accountId: 'bench', name: new URL(request.url).host }),
    connectOAuth: (request) => ok({ accountId: 'bench', name: request.portal }),
    setOnline: () => ok(null),
    markRead: () => ok(null),
    markAllRead: () => ok(null),
    dismiss: () => ok(null),
    getSettings: () => ok(settings),
    updateSettings: (change) => ok((settings = { ...settings, settings: { ...settings.settings, ...change } })),
    setAutostart: (request) => ok((settings = { ...settings, autostart: { ...settings.autostart, enabled: request.enabled } })),
    removePortal: (request) => ok((settings = { ...settings, portals: settings.portals.filter((portal) => portal.accountId !== request.accountId) })),
    onStateChanged: (listener) => listen(stateListeners, listener),
    onPlaySound: (listener) => listen(soundListeners, listener),
    onRevealItem: (listener) => listen(revealListeners, listener),
  };

  const longTasks: { start: number; duration: number }[] = [];
  const keep = (entries: PerformanceEntryList): void => {
    for (const entry of entries) longTasks.push({ start: entry.startTime, duration: entry.duration });
  };
  let taskObserver: PerformanceObserver | undefined;
  try {
    taskObserver = new PerformanceObserver((list) => keep(list.getEntries()));
    taskObserver.observe({ type: 'longtask', buffered: true });
  } catch {
    taskObserver = undefined; // no Long Tasks API: longest task reads 0
  }
  const tasksBetween = (from: number, to: number): { start: number; duration: number }[] => {
    if (taskObserver) keep(taskObserver.takeRecords());
    return longTasks.filter((task) => task.start >= from && task.start < to);
  };

  // The frame after the current one was rendered: rAF runs just before style, layout and paint;
  // a message posted from it runs as the next task, once that rendering is done.
  const afterNextPaint = (): Promise<number> =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(now());
        channel.port2.postMessage(null);
      }),
    );
  const itemCount = (): number => document.querySelectorAll('article.item').length;
  // Counting 5,000 items costs a few ms: only when a mutation added elements.
  const addedElements = (records: MutationRecord[]): boolean =>
    records.some((record) => Array.prototype.some.call(record.addedNodes, (node: Node) => node.nodeType === Node.ELEMENT_NODE));

  const loaded = new Promise<LoadMarks>((resolve, reject) => {
    const giveUp = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`The window showed ${itemCount()} items, not ${config.firstItems}, within ${config.loadTimeoutMs} ms`));
    }, config.loadTimeoutMs);
    const observer = new MutationObserver((records) => {
      if (!addedElements(records) || itemCount() < config.firstItems) return;
      observer.disconnect();
      clearTimeout(giveUp);
      const firstItemsDomMs = now();
      void afterNextPaint()
        .then(async (firstItemsPaintedMs) => {
          await afterNextPaint(); // long tasks are reported after they end
          const stub = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/bench-api.js')) as PerformanceResourceTiming | undefined;
          resolve({
            getStateCalledMs,
            getStateParseMs,
            firstItemsDomMs,
            firstItemsPaintedMs,
            stubResponseEndMs: stub?.responseEnd,
            longestTaskMs: Math.max(0, ...tasksBetween(0, firstItemsPaintedMs).map((task) => task.duration)),
          });
        });
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  });

  /** Resolves when the list holds more than `before` items, or after `maxFrames` frames without. */
  const grown = (list: HTMLElement, before: number, maxFrames: number): Promise<void> =>
    new Promise((resolve) => {
      let frames = 0;
      let settled = false;
      const finish = (): void => {
        settled = true;
        observer.disconnect();
        resolve();
      };
      const observer = new MutationObserver((records) => {
        if (!settled && addedElements(records) && itemCount() > before) finish();
      });
      observer.observe(list, { childList: true, subtree: true });
      const tick = (): void => {
        if (settled) return;
        if (++frames >= maxFrames) finish();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });

  const revealAll = async (expected: number, timeoutMs: number): Promise<RevealMarks> => {
    const list = document.querySelector<HTMLElement>('.list');
    if (!list) throw new Error('The window shows no .list');
    // The longest gap between frames: it also catches the browser's own main-thread work, which
    // the Long Tasks API does not report.
    let longestFrameMs = 0;
    let revealing = true;
    let lastFrameAt = now();
    const frame = (at: number): void => {
      longestFrameMs = Math.max(longestFrameMs, at - lastFrameAt);
      lastFrameAt = at;
      if (revealing) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);

    const started = now();
    const stepMs: number[] = [];
    const stepDomMs: number[] = [];
    let count = itemCount();
    let lastGrewAt = started;
    let lastPaintedAt = started;
    let stepStarted: number | undefined;
    let stalls = 0;
    let stalledInARow = 0;
    try {
      while (count < expected) {
        if (now() - started > timeoutMs) throw new Error(`Only ${count} of ${expected} items after ${timeoutMs} ms of scrolling`);
        if (stalledInARow >= 10) throw new Error(`Scrolling to the end stopped revealing items at ${count} of ${expected}`);
        stepStarted ??= now();
        list.scrollTop = list.scrollHeight;
        await grown(list, count, 6);
        const after = itemCount();
        if (after === count) {
          // Nothing came: the "Show more" sentinel never left the observer's range (scroll
          // anchoring can keep it in view as items are added above it), so its
          // IntersectionObserver has no change to report. Do what a person would: scroll back up
          // past the range, let a frame see it, and go down again.
          stalls += 1;
          stalledInARow += 1;
          list.scrollTop = Math.max(0, list.scrollHeight - 2 * list.clientHeight - 1_500);
          await afterNextPaint();
          continue;
        }
        stalledInARow = 0;
        count = after;
        lastGrewAt = now();
        stepDomMs.push(lastGrewAt - stepStarted);
        // Scroll again only once the new items were rendered, as a person would: the observer
        // checks its sentinel once a frame.
        lastPaintedAt = await afterNextPaint();
        stepMs.push(lastPaintedAt - stepStarted);
        stepStarted = undefined;
      }
    } finally {
      revealing = false;
    }
    await afterNextPaint(); // long tasks are reported after they end
    const tasks = tasksBetween(started, lastPaintedAt);
    return {
      items: count,
      domMs: lastGrewAt - started,
      totalMs: lastPaintedAt - started,
      steps: stepMs.length,
      stalls,
      stepMs,
      stepDomMs,
      longTasks: tasks.length,
      longTaskTotalMs: tasks.reduce((sum, task) => sum + task.duration, 0),
      longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
      longestFrameMs,
      forms: document.forms.length,
    };
  };

  const probe: BenchProbe = { loaded, revealAll };
  Object.assign(window, { api, __bench: probe });
}

/** The served `bench-api.js`: the function above, called with its config. */
export function pageScript(config: PageConfig): string {
  // tsx compiles with esbuild's keepNames, which wraps named functions in __name(…): give the page one.
  return `"use strict";\nvar __name = (target) => target;\n(${String(installBenchPage)})(${JSON.stringify(config)});\n`;
}
