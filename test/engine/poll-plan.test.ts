/**
 * Idle polls with more open confirms than a page holds (main/core/engine/poll-plan.ts), against the
 * portal simulator over loopback: one request per idle poll, and nothing a full read would have
 * seen is missed — news, reads elsewhere, confirms answered elsewhere however deep in the list.
 * The simulator's `total_count` follows the server (incremented on add, recomputed on delete:
 * MOD im/classes/general/im_notify.php:1041-1053, bitrix24-notify-api §2.1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { FULL_READ_EVERY_MS } from '../../main/core/engine/poll-plan';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, recordEvents, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  portal: PortalSim;
  engine: AccountEngine;
  clock: FakeClock;
  confirms: number[];
  /** REST requests during one poll. */
  poll(ms?: number): Promise<number>;
}

/** A portal with `confirmCount` open confirms and a few ordinary notifications, after the first poll. */
async function setUp(confirmCount: number): Promise<Setup> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  const confirms = Array.from({ length: confirmCount }, (_, i) => portal.addConfirm({ text: `Join group ${i}?` }).id);
  for (let i = 0; i < 20; i += 1) portal.addPersonal({ text: `Note ${i}` });
  const clock = new FakeClock();
  const client = new PortalClient({ credentials: simWebhookCredentials(portal), backoffBaseMs: 5, backoffMaxMs: 20, maxAttempts: 2 });
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  const poll = async (ms = engine.pollIntervalMs): Promise<number> => {
    const before = portal.requestLog.length;
    const polled = nextEvent(engine, 'polled');
    await clock.advance(ms);
    const [ok] = await polled;
    expect(ok).toBe(true);
    return portal.requestLog.length - before;
  };
  return { portal, engine, clock, confirms, poll };
}

/** Another device marks a notification read (the same user's webhook, as the web UI would). */
async function readElsewhere(portal: PortalSim, id: number): Promise<void> {
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  try {
    await client.call('im.notify.read', { ID: id, ACTION: 'Y', ONLY_CURRENT: 'Y' });
  } finally {
    await client.close();
  }
}

describe('idle polls behind a wall of confirms', () => {
  it('cost one request each once a full read has counted the list, where a full read costs three', async () => {
    const { portal, poll } = await setUp(120);
    const full = portal.requestLog.length;
    expect(full).toBe(3); // 50 + 50 confirms, then 20 confirms topped up with the regular section
    expect(await poll()).toBe(1);
    expect(await poll()).toBe(1);
    expect(portal.requestLog.at(-1)?.restMethod).toBe('batch');
  });

  it('drops a confirm answered elsewhere at the bottom of the list at the next poll', async () => {
    const { portal, engine, confirms, poll } = await setUp(120);
    await poll();
    const events = recordEvents(engine);
    const oldest = confirms[0]!;
    expect(engine.state.inbox.some((item) => item.id === oldest)).toBe(true);
    portal.answerInBrowser(oldest, 'Y');
    await poll();
    expect(events.removed).toEqual([oldest]);
    expect(engine.state.inbox.some((item) => item.id === oldest)).toBe(false);
    // The count is explained again: back to one request.
    expect(await poll()).toBe(1);
  });

  it('announces news and shows reads elsewhere at the next poll, still in one request', async () => {
    const { portal, engine, poll } = await setUp(120);
    await poll();
    const events = recordEvents(engine);
    const news = portal.addPersonal({ text: 'Fresh news' });
    expect(await poll()).toBe(1);
    expect(events.announced).toEqual([news.id]);
    await readElsewhere(portal, news.id);
    await poll();
    expect(engine.item(news.id)?.read).toBe(true);
  });

  it('announces every confirm of a burst larger than the quick look, each once', async () => {
    const { portal, engine, poll } = await setUp(120);
    await poll();
    const events = recordEvents(engine);
    const burst = Array.from({ length: 12 }, (_, i) => portal.addConfirm({ text: `Meeting ${i}?` }).id);
    await poll();
    expect([...events.announced].sort((a, b) => a - b)).toEqual(burst);
    expect(await poll()).toBe(1);
    expect(events.announced).toHaveLength(12);
  });

  it('reads the whole list again at least every ten minutes, even when nothing moved', async () => {
    const { poll } = await setUp(120);
    const quick = await poll();
    let polls = 1;
    let requests = quick;
    while (polls * 30_000 < FULL_READ_EVERY_MS) {
      requests = await poll();
      polls += 1;
      if (requests > 1) break;
    }
    expect(quick).toBe(1);
    expect(requests).toBeGreaterThan(1);
    expect(polls * 30_000).toBeGreaterThanOrEqual(FULL_READ_EVERY_MS - 30_000);
  });

  it('reads the whole list every poll while fewer confirms than a page are open (one request anyway)', async () => {
    const { portal, poll } = await setUp(10);
    expect(portal.requestLog.length).toBe(1);
    expect(await poll()).toBe(1);
    expect(portal.requestLog.at(-1)?.restMethod).toBe('im.notify.get');
  });
});
