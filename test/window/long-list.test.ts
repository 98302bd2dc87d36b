/**
 * The tray window with 5,000 items in Debian's Chromium: the list draws only what is in view, and
 * scrolling, keys and revealItem still reach every item.
 *
 * The real core cannot hold 5,000 items quickly (it reads at most four pages of 50 per poll), so
 * the built window is served by the preview and given a stand-in `window.api` (as the preload
 * would) whose snapshot is generated here; the renderer under test is the real one. Needs
 * `npm run build` first.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { HubSnapshot } from '../../main/core/app/hub';
import type { SettingsView } from '../../main/core/app/settings-service';
import { compareInbox, type InboxItem } from '../../main/core/engine/state';
import { DEFAULT_CONFIRM_BUTTONS } from '../../main/core/notifications/model';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings';
import { renderRich } from '../../main/core/text/bbcode';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { startPreview } from '../harness/preview/server';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`long-list.test.ts skipped: ${blocker}`);

const ORIGIN = 'https://acme.bitrix24.com';
const ITEMS = 5_000;
const CONFIRMS = 40;
/** Far fewer than a page of the old paged list: only a screenful and its margins are drawn. */
const MAX_DRAWN_ITEMS = 60;
const BASE_MS = Date.UTC(2026, 10, 1, 12);

const SENTENCES = [
  'Please check the figures before Friday.',
  'The client asked for a revised quote with the new discount, see the attached brief.',
  'Thanks!',
  'The warehouse reports twelve pallets short on the last shipment; the driver has the papers.',
];

/** Item i, newest first: `confirms` confirms, then the rest; one to four sentences, some with a break or a reply box. */
function makeItem(i: number, confirms = CONFIRMS): InboxItem {
  const id = 100_000 + i;
  const confirm = i < confirms;
  const text = `${Array.from({ length: 1 + (i % 4) }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join(' ')}${i % 7 === 0 ? '[BR]Second line.' : ''}`;
  return {
    id,
    kind: confirm ? 'confirm' : i % 3 === 0 ? 'system' : 'from-user',
    dateMs: BASE_MS - i * 60_000,
    title: `Item ${id}`,
    text,
    module: 'tasks',
    event: 'comment',
    settingName: 'tasks|comment',
    tag: '',
    read: i % 2 === 0,
    author: i % 3 === 0 ? undefined : { id: 3, name: 'Anna Petrova', avatarUrl: undefined, color: '#29619b' },
    buttons: confirm ? [...DEFAULT_CONFIRM_BUTTONS] : [],
    canAnswer: !confirm && i % 5 === 1,
    action: undefined,
    rich: renderRich(text, ORIGIN),
  };
}

function snapshotOf(inbox: InboxItem[]): HubSnapshot {
  const sorted = [...inbox].sort(compareInbox);
  return {
    accounts: [
      {
        accountId: 'acme',
        name: 'Acme',
        state: { accountId: 'acme', portalOrigin: ORIGIN, connection: { status: 'ok' }, inbox: sorted, unreadCount: 0, lastSyncAt: BASE_MS, skippedItems: 0 },
      },
    ],
    unreadCount: 0,
  };
}

/** The window's order: confirms, then the rest, newest first; makeItem's ids follow it. */
const itemId = (position: number): number => 100_000 + position - 1;
const makeInbox = (confirms = CONFIRMS): InboxItem[] => Array.from({ length: ITEMS }, (_, i) => makeItem(i, confirms));

interface StubWindow {
  __stub: { push(snapshotJson: string): void; reveal(target: { accountId: string; notificationId: number; reply?: boolean }): void };
}

const SETTINGS: SettingsView = {
  settings: { ...DEFAULT_SETTINGS, language: 'en' },
  // As many portals as the snapshot has accounts: Settings asks again whenever they differ.
  portals: [{ accountId: 'acme', name: 'Acme', origin: ORIGIN, auth: 'webhook', color: '#2f80ed', enabled: true, mutedCategories: [], breakThroughCategories: [], unencrypted: false, instant: true }],
  autostart: { supported: false, enabled: false },
  secretProtection: 'os',
};

/** Runs in the page before the window's module: the preload's `api`, answering from `snapshotJson`. */
function installStub({ snapshotJson, settings }: { snapshotJson: string; settings: SettingsView }): void {
  const ok = (value: unknown): Promise<unknown> => Promise.resolve({ ok: true, value });
  let version = 0;
  const listeners: Record<string, Set<(payload: unknown) => void>> = { state: new Set(), reveal: new Set(), sound: new Set() };
  const listen = (name: string) => (listener: (payload: unknown) => void) => {
    listeners[name]!.add(listener);
    return () => void listeners[name]!.delete(listener);
  };
  const handlers: Record<string, unknown> = {
    // The whole state, whatever the window asks for; each push below is a newer whole state.
    getState: () => ok({ kind: 'full', version: 0, snapshot: JSON.parse(snapshotJson) }),
    getSettings: () => ok(settings),
    onStateChanged: listen('state'),
    onRevealItem: listen('reveal'),
    onPlaySound: listen('sound'),
  };
  // Every other method (answers, reads, settings) is accepted and does nothing.
  Object.assign(window, {
    api: new Proxy(handlers, { get: (target, name: string) => target[name] ?? (() => ok(null)) }),
    __stub: {
      push: (json: string) => {
        version += 1;
        listeners.state!.forEach((listener) => listener({ kind: 'full', version, snapshot: JSON.parse(json) }));
      },
      reveal: (target: unknown) => listeners.reveal!.forEach((listener) => listener(target)),
    },
  });
}

const suite = useChromium(canRun);
const cleanups = suite.cleanups;

async function openLongList(inbox: InboxItem[] = makeInbox()): Promise<{ page: Page; errors: string[] }> {
  const preview = await startPreview({ popups: false });
  const context = await suite.browser().newContext({ viewport: { width: 380, height: 560 }, colorScheme: 'light', locale: 'en-US' });
  cleanups.push(async () => {
    await context.close();
    await preview.close();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.addInitScript(installStub, { snapshotJson: JSON.stringify(snapshotOf(inbox)), settings: SETTINGS });
  await page.goto(preview.url);
  await page.locator('article.item').first().waitFor();
  return { page, errors };
}

/** Resolves after `count` animation frames: the list settles within the frame of a change. */
const frames = (page: Page, count = 2): Promise<void> =>
  page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const step = (left: number): void => (left === 0 ? resolve() : void requestAnimationFrame(() => step(left - 1)));
        step(n);
      }),
    count,
  );

interface ListState {
  drawnItems: number;
  scrollTop: number;
  /** aria-posinset of the drawn items, in DOM order. */
  positions: number[];
  /** Items whose box meets the list's viewport. */
  inView: number[];
  setSizes: string[];
  focused: number | undefined;
  focusedInView: boolean;
  atEnd: boolean;
}

const listState = (page: Page): Promise<ListState> =>
  page.evaluate(() => {
    const list = document.querySelector<HTMLElement>('.list')!;
    const box = list.getBoundingClientRect();
    const items = [...list.querySelectorAll<HTMLElement>('article.item')];
    const meets = (element: Element): boolean => {
      const rect = element.getBoundingClientRect();
      return rect.bottom > box.top + 1 && rect.top < box.bottom - 1;
    };
    const focused = document.activeElement instanceof HTMLElement && document.activeElement.matches('article.item') ? document.activeElement : undefined;
    const inside = (element: Element): boolean => {
      const rect = element.getBoundingClientRect();
      return rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
    };
    return {
      drawnItems: items.length,
      scrollTop: list.scrollTop,
      positions: items.map((item) => Number(item.getAttribute('aria-posinset'))),
      inView: items.filter(meets).map((item) => Number(item.getAttribute('aria-posinset'))),
      setSizes: [...new Set(items.map((item) => item.getAttribute('aria-setsize') ?? ''))],
      focused: focused ? Number(focused.getAttribute('aria-posinset')) : undefined,
      focusedInView: focused ? inside(focused) || (focused.getBoundingClientRect().height > box.height && meets(focused)) : false,
      atEnd: list.scrollTop + list.clientHeight >= list.scrollHeight - 1,
    };
  });

/** Scrolls the list to `fraction` of its height (1: the end, again until it stays there, as estimates give way to measurements). */
async function scrollTo(page: Page, fraction: number): Promise<ListState> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await page.evaluate((f) => {
      const list = document.querySelector<HTMLElement>('.list')!;
      list.scrollTop = f * (list.scrollHeight - list.clientHeight);
    }, fraction);
    await frames(page);
    const state = await listState(page);
    if (fraction < 1 || state.atEnd) return state;
  }
  throw new Error('The list never stayed at its end');
}

/** The top of the item at aria-posinset `position`, relative to the list's top edge. */
const topOf = (page: Page, position: number): Promise<number | undefined> =>
  page.evaluate((p) => {
    const list = document.querySelector<HTMLElement>('.list')!;
    const item = list.querySelector(`article.item[aria-posinset="${p}"]`);
    return item ? item.getBoundingClientRect().top - list.getBoundingClientRect().top : undefined;
  }, position);

describe.skipIf(!canRun)('tray window with 5,000 items (Chromium, virtual list)', () => {
  it('draws a bounded number of rows at the top, the middle and the end, and scrolling reaches the last item', async () => {
    const { page, errors } = await openLongList();
    const top = await listState(page);
    expect(top.drawnItems).toBeGreaterThan(3);
    expect(top.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    expect(top.positions[0]).toBe(1);
    expect(top.inView[0]).toBe(1);
    expect(top.setSizes).toEqual([String(ITEMS)]);
    await expect(page.getByRole('heading', { name: 'Needs your answer' }).isVisible()).resolves.toBe(true);

    const middle = await scrollTo(page, 0.5);
    expect(middle.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    expect(middle.inView.length).toBeGreaterThan(0);
    expect(Math.min(...middle.inView)).toBeGreaterThan(ITEMS * 0.3);
    expect(Math.max(...middle.inView)).toBeLessThan(ITEMS * 0.7);
    // Drawn rows are consecutive: no gaps, no duplicates.
    expect(middle.positions).toEqual(middle.positions.map((_, k) => middle.positions[0]! + k));

    const end = await scrollTo(page, 1);
    expect(end.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    expect(end.inView).toContain(ITEMS);
    await expect(page.getByRole('heading', { name: `Item ${itemId(ITEMS)}` }).isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('End, Home, arrows and Page keys move focus to items that were not drawn, and show them', async () => {
    const { page, errors } = await openLongList();
    await page.locator('article.item').first().focus();
    await page.keyboard.press('End');
    let state = await listState(page);
    expect(state.focused).toBe(ITEMS);
    expect(state.focusedInView).toBe(true);
    expect(state.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    await page.keyboard.press('ArrowUp');
    expect((await listState(page)).focused).toBe(ITEMS - 1);

    await page.keyboard.press('Home');
    state = await listState(page);
    expect(state.focused).toBe(1);
    expect(state.scrollTop).toBe(0); // with its heading
    // Down past the first screenful and its margins, and across the section heading.
    const steps = CONFIRMS + 10;
    for (let k = 0; k < steps; k += 1) await page.keyboard.press('ArrowDown');
    state = await listState(page);
    expect(state.focused).toBe(1 + steps);
    expect(state.focusedInView).toBe(true);
    expect(state.positions[0]).toBeGreaterThan(1); // the first items are no longer drawn

    await page.keyboard.press('PageDown');
    const paged = await listState(page);
    expect(paged.focused).toBeGreaterThan(1 + steps + 1);
    expect(paged.focusedInView).toBe(true);
    await page.keyboard.press('PageUp');
    state = await listState(page);
    expect(state.focused).toBeLessThan(paged.focused!);
    expect(state.focusedInView).toBe(true);
    expect(errors).toEqual([]);
  });

  it('revealItem scrolls to a deep item and focuses it, from Settings too, or opens its reply box', async () => {
    const { page, errors } = await openLongList();
    const reveal = (position: number, reply = false): Promise<void> =>
      page.evaluate(([id, withReply]) => (window as unknown as StubWindow).__stub.reveal({ accountId: 'acme', notificationId: id, reply: withReply }), [itemId(position), reply] as const);
    await reveal(4_321);
    let state = await listState(page);
    expect(state.focused).toBe(4_321);
    expect(state.focusedInView).toBe(true);
    expect(state.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    await expect(page.evaluate(() => (document.activeElement as HTMLElement).dataset.key)).resolves.toBe(`acme:${itemId(4_321)}`);

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.locator('.list').waitFor({ state: 'detached' });
    await reveal(2_500);
    state = await listState(page);
    expect(state.focused).toBe(2_500);
    expect(state.focusedInView).toBe(true);

    // The popup could not take a reply: the window opens the item's reply box, ready to type.
    await reveal(3_002, true); // makeItem(3_001) allows a quick reply
    await page.locator('article.item[aria-posinset="3002"] input').waitFor();
    await expect(page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-posinset'))).resolves.toBe('3002');
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('INPUT');

    // The request may come before the snapshot that holds the item: it is shown once that arrives.
    await page.evaluate(() => (window as unknown as StubWindow).__stub.reveal({ accountId: 'acme', notificationId: 99_997 }));
    const late: InboxItem = { ...makeItem(ITEMS), id: 99_997, dateMs: BASE_MS + 60_000, title: 'Late arrival' };
    await page.evaluate((json) => (window as unknown as StubWindow).__stub.push(json), JSON.stringify(snapshotOf([late, ...makeInbox()])));
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.key === 'acme:99997');
    expect((await listState(page)).focusedInView).toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the item in view still when a notification arrives above it, and shows it at the very top', async () => {
    const inbox = makeInbox(0); // no confirms yet: the first one will bring a new first row, its heading
    const { page, errors } = await openLongList(inbox);
    await scrollTo(page, 0.4);
    // Scroll a little either way first, so every row the insertion brings into the drawn range has
    // been measured before: nothing but the re-anchoring on new rows can then keep the view still.
    for (const byPx of [-800, 1_600, -800]) {
      await page.evaluate((by) => document.querySelector<HTMLElement>('.list')!.scrollBy(0, by), byPx);
      await frames(page);
    }
    const watched = (await listState(page)).inView[1]!;
    const before = await topOf(page, watched);
    expect(before).toBeDefined();

    // The newest notification of all: first in the list, far above the view.
    const newest: InboxItem = { ...makeItem(ITEMS, 0), id: 99_999, dateMs: BASE_MS + 60_000, title: 'Brand new' };
    const next = [newest, ...inbox];
    await page.evaluate((json) => (window as unknown as StubWindow).__stub.push(json), JSON.stringify(snapshotOf(next)));
    await page.locator(`article.item[aria-setsize="${ITEMS + 1}"]`).first().waitFor();
    await frames(page);
    // Positions moved by one, the pixels did not.
    expect(await topOf(page, watched + 1)).toBeCloseTo(before!, 0);

    // At the very top a new notification shows up in view instead, here a confirm under a new heading.
    await scrollTo(page, 0);
    const newer: InboxItem = { ...makeItem(0, 1), id: 99_998, dateMs: BASE_MS + 120_000, title: 'Newer still' };
    await page.evaluate((json) => (window as unknown as StubWindow).__stub.push(json), JSON.stringify(snapshotOf([newer, ...next])));
    await page.getByRole('heading', { name: 'Newer still' }).waitFor();
    await frames(page);
    expect((await listState(page)).scrollTop).toBe(0);
    expect((await listState(page)).inView[0]).toBe(1);
    await expect(page.getByRole('heading', { name: 'Needs your answer' }).isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the item in view still when a row above it grows or shrinks', async () => {
    const { page, errors } = await openLongList();
    const { inView, positions } = await scrollTo(page, 0.4);
    const watched = inView[1]!;
    const above = positions.find((position) => position < inView[0]!); // drawn, wholly above the view
    expect(above).toBeDefined();
    const before = await topOf(page, watched);
    // Its content changes with no new snapshot (as when a reply box opens or a result line comes).
    const resize = (text: string): Promise<void> =>
      page.evaluate(
        ([position, extra]) => void (document.querySelector(`article.item[aria-posinset="${position}"] .text`)!.textContent = extra),
        [above!, text] as const,
      );
    await resize('Much longer now. '.repeat(30));
    await frames(page);
    expect(await topOf(page, watched)).toBeCloseTo(before!, 0);
    await resize('Short.');
    await frames(page);
    expect(await topOf(page, watched)).toBeCloseTo(before!, 0);
    expect(errors).toEqual([]);
  });

  it('keeps focus and a reply draft in items scrolled far out of view', async () => {
    const { page, errors } = await openLongList(makeInbox(2));
    // makeItem(6) is the first quick-reply item: position 7.
    const item = page.locator('article.item[aria-posinset="7"]');
    await item.getByRole('button', { name: 'Reply' }).click();
    await page.keyboard.type('Draft in progress');
    let state = await scrollTo(page, 0.6);
    // The focused item stays drawn (focus is not lost to the page), apart from the visible ones.
    await expect(page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-posinset'))).resolves.toBe('7');
    expect(state.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    // Once focus moves on, the item may go; its draft stays for when it is drawn again.
    await page.locator('article.item').filter({ hasNot: page.locator('input') }).nth(2).focus();
    await frames(page);
    await expect(page.locator('article.item[aria-posinset="7"]').count()).resolves.toBe(0);
    state = await scrollTo(page, 0);
    await expect(page.locator('article.item[aria-posinset="7"] input').inputValue()).resolves.toBe('Draft in progress');
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.not.toBe('INPUT'); // drawn again, not stealing focus
    expect(state.drawnItems).toBeLessThan(MAX_DRAWN_ITEMS);
    expect(errors).toEqual([]);
  });

  it('has no serious or critical accessibility violations deep in the list', async () => {
    const { page, errors } = await openLongList();
    await scrollTo(page, 0.5);
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id);
    expect(serious).toEqual([]);
    expect(errors).toEqual([]);
  });
});
