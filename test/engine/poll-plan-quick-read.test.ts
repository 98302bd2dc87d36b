/**
 * When one quick look (main/core/engine/poll-plan.ts: the newest few confirms plus the regular top,
 * in one batch) may stand for a full read, and what it then says it covered. Against the portal
 * simulator over loopback, whose lists and `total_count` follow the server (bitrix24-notify-api
 * §2.1; MOD im/classes/general/im_notify.php:1041-1053). Where a test needs a portal that bends the
 * rules (a count a cleanup left alone, items we cannot parse, a confirm in the regular section), the
 * client below bends the pages it receives; a real portal can send each of these.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PAGES_PER_POLL, PAGE_LIMIT, readPages, type Gap, type PagesRead } from '../../main/core/engine/page-reader';
import { PollPlan, QUICK_FIRST, REGULAR_TOP } from '../../main/core/engine/poll-plan';
import { PortalClient, type BatchCommand, type BatchResponse, type CallOptions, type PortalResponse } from '../../main/core/portal';
import { startPortalSim, type PortalSim, type StoredNotification } from '../portal-sim';
import { simWebhookCredentials } from '../harness/sim-credentials';

interface Page {
  total_count?: number;
  notifications?: unknown[];
}

/** A client whose `im.notify.get` pages pass through `bend` first (call and batch alike). */
class BentClient extends PortalClient {
  bend: (page: Page, params: Record<string, unknown>) => Page = (page) => page;

  override async call<T = unknown>(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<PortalResponse<T>> {
    const response = await super.call<T>(method, params, options);
    return method === 'im.notify.get' ? { ...response, result: this.bend(response.result as Page, params) as T } : response;
  }

  override async batch(commands: Record<string, BatchCommand>, options: { signal?: AbortSignal } = {}): Promise<BatchResponse> {
    const response = await super.batch(commands, options);
    for (const [key, command] of Object.entries(commands)) {
      if (command.method === 'im.notify.get' && key in response.results) response.results[key] = this.bend(response.results[key] as Page, command.params ?? {});
    }
    return response;
  }
}

/** Items whose id we cannot read: parseNotifyPage skips them and counts them as skipped. */
const garble = (ids: Set<number>) => (page: Page): Page => ({
  ...page,
  notifications: page.notifications?.map((raw) => (ids.has((raw as StoredNotification).id) ? { ...(raw as object), id: 'garbled' } : raw)),
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  sim: PortalSim;
  client: BentClient;
  plan: PollPlan;
  confirms: number[];
  regular: number[];
}

async function portal(confirmCount: number, regularCount: number): Promise<Setup> {
  const sim = await startPortalSim({ bucket: false });
  const client = new BentClient({ credentials: simWebhookCredentials(sim), maxAttempts: 1 });
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  const confirms = Array.from({ length: confirmCount }, (_, i) => sim.addConfirm({ text: `Join group ${i}?` }).id);
  const regular = Array.from({ length: regularCount }, (_, i) => sim.addPersonal({ text: `Note ${i}` }).id);
  return { sim, client, plan: new PollPlan(), confirms, regular };
}

const context = (client: PortalClient, highWaterMark: number | undefined, gaps: Gap[] = []) => ({
  client,
  highWaterMark,
  gaps,
  nowMs: Date.now(),
  signal: new AbortController().signal,
});

/** A full read as a poll does it (first page, then page-reader), recorded by the plan; returns the newest id read. */
async function fullRead({ client, plan }: Setup): Promise<number> {
  const first = (await client.call('im.notify.get', { LIMIT: PAGE_LIMIT })).result;
  const read = await readPages(first, context(client, undefined));
  plan.recordFull(read);
  return Math.max(...read.items.map((item) => item.id));
}

/** A quick poll's one request and what the plan makes of it (undefined: the poll reads everything). */
async function quickLook({ client, plan }: Setup, highWaterMark: number, gaps: Gap[] = []) {
  const response = await client.batch({ refresh: QUICK_FIRST, regularTop: REGULAR_TOP });
  return plan.readQuick(response.results.refresh, response.results.regularTop, { ...context(client, highWaterMark, gaps), highWaterMark });
}

const idle = (highWaterMark: number | undefined) => ({ outboxEmpty: true, highWaterMark, nowMs: Date.now() });

describe('whether the next poll may be a quick one', () => {
  it('only once a full read has counted a wall of confirms and the newest id seen is known', async () => {
    const setup = await portal(120, 20);
    expect(setup.plan.quick(idle(140))).toBe(false);
    const highWaterMark = await fullRead(setup);
    expect(setup.plan.quick(idle(highWaterMark))).toBe(true);
    // No newest id known (nothing stored for this account yet): nothing tells news from old items.
    expect(setup.plan.quick(idle(undefined))).toBe(false);
  });

  it('not after a full read the portal cut short: it explains no count', async () => {
    const setup = await portal(120, 20);
    const { sim, client, plan } = setup;
    const first = (await client.call('im.notify.get', { LIMIT: PAGE_LIMIT })).result;
    // The operating limit refuses the second page (api §4.5): the read keeps what it has.
    sim.injectFault({ kind: 'error', code: 'OPERATION_TIME_LIMIT', description: 'Method is blocked due to operation time limit.', status: 429 }, { restMethod: 'im.notify.get' });
    const read: PagesRead = await readPages(first, context(client, undefined));
    expect(read.retryAt).toBeDefined();
    expect(read.confirmsFillFirstPage).toBe(true);
    plan.recordFull(read);
    expect(plan.quick(idle(140))).toBe(false);
  });
});

describe('a quick look that cannot stand for a full read', () => {
  it('reaches past the confirms on its first page (most answered elsewhere), even with a count that did not move', async () => {
    const setup = await portal(120, 20);
    const { sim, client, confirms } = setup;
    const highWaterMark = await fullRead(setup);
    for (const id of confirms.slice(0, -2)) sim.answerInBrowser(id, 'Y');
    // A count a portal's cleanup left alone (see FULL_READ_EVERY_MS): only the page shows the change.
    client.bend = (page) => ({ ...page, total_count: 140 });
    // Only a full read sees the 118 answered confirms gone; a quick look would keep them on show.
    expect(await quickLook(setup, highWaterMark)).toBeUndefined();
  });

  it('finds fewer confirms than it asked for and nothing else, even with a count that did not move', async () => {
    const setup = await portal(120, 0);
    const { sim, client, confirms } = setup;
    const highWaterMark = await fullRead(setup);
    for (const id of confirms.slice(0, -3)) sim.answerInBrowser(id, 'N');
    client.bend = (page) => ({ ...page, total_count: 120 });
    expect(await quickLook(setup, highWaterMark)).toBeUndefined();
  });

  it('gets a confirm in its regular top (a portal not keeping to LAST_TYPE 3)', async () => {
    const setup = await portal(120, 20);
    const { sim, client, confirms } = setup;
    const highWaterMark = await fullRead(setup);
    const confirm = sim.get(confirms.at(-1)!)!;
    client.bend = (page, params) => (params['LAST_TYPE'] === 3 ? { ...page, notifications: [confirm, ...(page.notifications ?? [])] } : page);
    expect(await quickLook(setup, highWaterMark)).toBeUndefined();
  });

  it('holds less news than arrived: its full regular top does not reach down to the newest id seen before', async () => {
    const setup = await portal(120, 20);
    const { sim, regular } = setup;
    const highWaterMark = await fullRead(setup);
    // Ten old notes deleted and sixty new ones: the count rises by the fifty the top shows.
    for (const id of regular.slice(0, 10)) sim.deleteInBrowser(id);
    for (let i = 0; i < 60; i += 1) sim.addPersonal({ text: `News ${i}` });
    // The full read keeps the unread range between the top and the newest id seen as a gap.
    expect(await quickLook(setup, highWaterMark)).toBeUndefined();
  });
});

describe('a quick look that stands for a full read', () => {
  it('takes a short regular top of news as all of the regular section, even when ids skip (other users)', async () => {
    const setup = await portal(120, 0);
    const { sim } = setup;
    sim.deleteInBrowser(sim.addPersonal({ text: 'Gone before we looked' }).id);
    const highWaterMark = await fullRead(setup);
    const news = [sim.addPersonal({ text: 'A' }).id, sim.addPersonal({ text: 'B' }).id, sim.addPersonal({ text: 'C' }).id];
    expect(news[0]).toBeGreaterThan(highWaterMark + 1);
    const read = await quickLook(setup, highWaterMark);
    expect(read?.items.map((item) => item.id)).toEqual(expect.arrayContaining(news));
    // Every regular item was read: one missing from it was deleted on the portal.
    expect(read?.regularCoveredFrom).toBe(0);
  });

  it('takes exactly a page of news, reaching down to the newest id seen before, as covering down to its oldest', async () => {
    const setup = await portal(120, 0);
    const { sim } = setup;
    const highWaterMark = await fullRead(setup);
    const news = Array.from({ length: PAGE_LIMIT }, (_, i) => sim.addPersonal({ text: `News ${i}` }).id);
    expect(Math.min(...news)).toBe(highWaterMark + 1);
    const read = await quickLook(setup, highWaterMark);
    expect(read?.items.filter((item) => item.kind !== 'confirm')).toHaveLength(PAGE_LIMIT);
    expect(read?.regularCoveredFrom).toBe(Math.min(...news));
  });

  it('covers only down to the oldest item of a full regular top, an unreadable item counting as one of the page', async () => {
    const setup = await portal(120, 80);
    const { client, regular } = setup;
    const top = regular.slice(-PAGE_LIMIT);
    // Below the newest thirty, which the full read's third page (a LAST_TYPE 1 page topped up with
    // regular items) also holds: only the quick look meets this one.
    client.bend = garble(new Set([top[5]!]));
    const highWaterMark = await fullRead(setup);
    const read = await quickLook(setup, highWaterMark);
    expect(read?.skipped).toBe(1);
    // Older regular notifications were not read: not taken as deleted, not dropped from the inbox.
    expect(read?.regularCoveredFrom).toBe(Math.min(...top));
  });

  it('covers no regular item when the whole regular top is unreadable', async () => {
    const setup = await portal(120, 80);
    const { client, regular } = setup;
    client.bend = garble(new Set(regular.slice(-PAGE_LIMIT)));
    const highWaterMark = await fullRead(setup);
    const read = await quickLook(setup, highWaterMark);
    expect(read?.items.some((item) => item.kind !== 'confirm')).toBe(false);
    expect(read?.regularCoveredFrom).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('counts every item it knows it could not read: on its first page, in its top, and on the deeper confirm pages', async () => {
    const setup = await portal(120, 40);
    const { client, confirms, regular } = setup;
    // One of the five newest confirms, one confirm on the second page, one regular item below the
    // part of the regular section the full read's third page tops up with.
    client.bend = garble(new Set([confirms.at(-3)!, confirms[59]!, regular[4]!]));
    const highWaterMark = await fullRead(setup);
    const read = await quickLook(setup, highWaterMark);
    expect(read).toBeDefined();
    expect(read?.items.filter((item) => item.kind === 'confirm')).toHaveLength(4);
    expect(read?.skipped).toBe(3);
  });

  it('reads on in an old unread range with what is left of the page budget, leaving the rest for later polls', async () => {
    const setup = await portal(60, 200);
    const { sim, regular } = setup;
    const highWaterMark = await fullRead(setup);
    // A range of 160 regular items an earlier poll could not read (below the part the full read saw).
    const gap = { belowId: regular.at(-40)!, downToId: regular[0]! - 1 };
    const before = sim.requestLog.length;
    const read = await quickLook(setup, highWaterMark, [gap]);
    // The batch counts as two pages of the budget: two more requests, each one page of the range.
    expect(sim.requestLog.length - before).toBe(1 + MAX_PAGES_PER_POLL - 2);
    expect(read?.gaps).toEqual([{ belowId: regular.at(-40 - 2 * PAGE_LIMIT)!, downToId: gap.downToId }]);
    // Found there: the two pages, ten of them already in the top.
    expect(read?.gapItemIds.size).toBe(2 * PAGE_LIMIT);
  });
});
