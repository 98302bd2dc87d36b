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
  /**
   * Where the whole HubSnapshot is served as JSON: getState fetches and parses it anew each time,
   * as IPC would carry and deserialize it (not inlined in this script: the app's page does not
   * download its state with its code).
   */
  snapshotUrl: string;
  /**
   * Set: the window is fed by changes (issue 15) and getState({ firstItems }) answers with this,
   * the first screenful of each inbox, as JSON. Unset: the whole-snapshot path (the baseline),
   * getState always answers with everything.
   */
  firstScreenJson?: string;
  appInfo: AppInfo;
  /** What getSettings answers; updates change it in the page. */
  settings: SettingsView;
  /** The first screenful: the load is done when this many `article.item` exist. */
  firstItems: number;
  /** From the stub's start: the first screenful not shown by then fails the run. */
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
  /** `article.item` elements once painted. */
  drawnItems: number;
}

export interface ScrollMarks {
  /** Whether the last item was drawn with the list at its end. */
  reachedEnd: boolean;
  /** First scroll → the frame in which the last item was drawn and the list was at its end. */
  totalMs: number;
  /** Each frame's length (rAF to rAF) while scrolling: the list's work, the browser's and the paint. */
  frameMs: number[];
  /** Long tasks (> 50 ms) that started while scrolling. */
  longTasks: number;
  longTaskTotalMs: number;
  longestTaskMs: number;
  /** The most `article.item` elements, and elements of any kind, seen in any frame. */
  maxDrawnItems: number;
  maxElements: number;
  /** Times the end was reached without the last item (a list that grows as it is scrolled): scrolled back and down again. */
  stalls: number;
  /** <form> elements in the page at the end (each open reply box is one). */
  forms: number;
}

export interface JumpMarks {
  /** End pressed on the first item → the frame after, painted; whether the last item then has focus. */
  endKeyMs: number;
  endKeyFocused: boolean;
  /** revealItem for an item deep in the list → the frame after, painted; whether that item then has focus. */
  revealMs: number;
  revealFocused: boolean;
}

export interface BenchProbe {
  loaded: Promise<LoadMarks>;
  /** The whole list has been served and a frame has passed (at once on the whole-snapshot path). */
  fullyLoaded: Promise<void>;
  /** Scrolls from the top by `stepPx` each frame until `lastKey` is drawn at the end. */
  scrollThrough(lastKey: string, stepPx: number, timeoutMs: number): Promise<ScrollMarks>;
  jump(firstKey: string, lastKey: string, deep: { accountId: string; notificationId: number }): Promise<JumpMarks>;
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
  let fullServed!: () => void;
  const fullyLoaded = new Promise<void>((resolve) => (fullServed = resolve));
  const api: Api = {
    appInfo: () => ok(config.appInfo),
    getState: async (request) => {
      const first = Number.isNaN(getStateCalledMs);
      if (first) getStateCalledMs = now();
      const partial = config.firstScreenJson !== undefined && request?.firstItems !== undefined;
      const json = partial ? config.firstScreenJson! : await (await fetch(config.snapshotUrl)).text();
      const started = now();
      const snapshot = JSON.parse(json) as HubSnapshot;
      if (first) getStateParseMs = now() - started;
      // The window applies it and renders in the frames after: let them pass (and a task) first.
      if (!partial) requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(fullServed, 0))));
      return { ok: true as const, value: { kind: 'full' as const, version: 0, snapshot, ...(partial ? { partial: true } : {}) } };
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
    snooze: () => ok({ wakeAtMs: 0 }),
    unsnooze: () => ok(null),
    getSettings: () => ok(settings),
    updateSettings: (change) => ok((settings = { ...settings, settings: { ...settings.settings, ...change } })),
    setAutostart: (request) => ok((settings = { ...settings, autostart: { ...settings.autostart, enabled: request.enabled } })),
    removePortal: (request) => ok((settings = { ...settings, portals: settings.portals.filter((portal) => portal.accountId !== request.accountId) })),
    updatePortal: () => ok(settings),
    reorderPortals: () => ok(settings),
    useMovedAddress: () => ok(settings),
    dismissNotice: () => ok(null),
    reconnectWebhook: () => ok(settings),
    reconnectOAuth: () => ok(settings),
    cancelSignIn: () => ok({ cancelled: false }),
    portalCategories: () => ok([]),
    pendingAnswers: () => ok([]),
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
  const byKey = (key: string): HTMLElement | null => document.querySelector<HTMLElement>(`article.item[data-key="${key}"]`);
  const focusedKey = (): string | undefined => (document.activeElement instanceof HTMLElement ? document.activeElement.dataset.key : undefined);
  // Counting items costs a few ms in a long DOM: only when a mutation added elements.
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
      void afterNextPaint().then(async (firstItemsPaintedMs) => {
        const drawnItems = itemCount();
        await afterNextPaint(); // long tasks are reported after they end
        const stub = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/bench-api.js')) as PerformanceResourceTiming | undefined;
        resolve({
          getStateCalledMs,
          getStateParseMs,
          firstItemsDomMs,
          firstItemsPaintedMs,
          stubResponseEndMs: stub?.responseEnd,
          longestTaskMs: Math.max(0, ...tasksBetween(0, firstItemsPaintedMs).map((task) => task.duration)),
          drawnItems,
        });
      });
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  });

  const scrollThrough = async (lastKey: string, stepPx: number, timeoutMs: number): Promise<ScrollMarks> => {
    const list = document.querySelector<HTMLElement>('.list');
    if (!list) throw new Error('The window shows no .list');
    list.scrollTop = 0;
    await afterNextPaint();
    const frameMs: number[] = [];
    let maxDrawnItems = itemCount();
    let maxElements = document.getElementsByTagName('*').length;
    let stalls = 0;
    let framesAtEnd = 0;
    const started = now();
    // One step a frame, from the frame's own callback, as a fast fling would: the list has that
    // frame to draw what comes into view.
    const endedAt = await new Promise<number | undefined>((resolve) => {
      let lastFrameAt: number | undefined;
      const frame = (at: number): void => {
        if (lastFrameAt !== undefined) frameMs.push(at - lastFrameAt);
        lastFrameAt = at;
        maxDrawnItems = Math.max(maxDrawnItems, itemCount());
        maxElements = Math.max(maxElements, document.getElementsByTagName('*').length);
        const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
        if (atEnd && byKey(lastKey)) return resolve(now());
        if (now() - started > timeoutMs) return resolve(undefined);
        if (atEnd && ++framesAtEnd > 30) {
          // A list that grows as it is scrolled may keep its "more" sentinel in view and never
          // hear of it: scroll back past it and down again, as a person would.
          stalls += 1;
          framesAtEnd = 0;
          list.scrollTop = Math.max(0, list.scrollTop - 2 * list.clientHeight - 1_500);
        } else list.scrollTop += stepPx;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const paintedAt = await afterNextPaint();
    await afterNextPaint(); // long tasks are reported after they end
    const tasks = tasksBetween(started, paintedAt);
    return {
      reachedEnd: endedAt !== undefined,
      totalMs: (endedAt ?? now()) - started,
      frameMs,
      longTasks: tasks.length,
      longTaskTotalMs: tasks.reduce((sum, task) => sum + task.duration, 0),
      longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
      maxDrawnItems,
      maxElements,
      stalls,
      forms: document.forms.length,
    };
  };

  const jump = async (firstKey: string, lastKey: string, deep: { accountId: string; notificationId: number }): Promise<JumpMarks> => {
    const list = document.querySelector<HTMLElement>('.list');
    if (!list) throw new Error('The window shows no .list');
    list.scrollTop = 0;
    await afterNextPaint();
    const first = byKey(firstKey);
    if (!first) throw new Error(`The first item (${firstKey}) is not drawn at the top`);
    first.focus();
    await afterNextPaint();
    let started = now();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }));
    const endKeyMs = (await afterNextPaint()) - started;
    const endKeyFocused = focusedKey() === lastKey;

    list.scrollTop = 0;
    await afterNextPaint();
    started = now();
    for (const listener of revealListeners) listener(deep);
    const revealMs = (await afterNextPaint()) - started;
    const revealFocused = focusedKey() === `${deep.accountId}:${deep.notificationId}`;
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur(); // no row kept drawn for focus
    return { endKeyMs, endKeyFocused, revealMs, revealFocused };
  };

  const probe: BenchProbe = { loaded, fullyLoaded, scrollThrough, jump };
  Object.assign(window, { api, __bench: probe });
}

/** The served `bench-api.js`: the function above, called with its config. */
export function pageScript(config: PageConfig): string {
  // tsx compiles with esbuild's keepNames, which wraps named functions in __name(…): give the page one.
  return `"use strict";\nvar __name = (target) => target;\n(${String(installBenchPage)})(${JSON.stringify(config)});\n`;
}
