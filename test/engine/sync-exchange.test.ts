/**
 * One exchange per tick (main/core/engine/sync.ts), seen from outside the engine: what goes out in
 * which request, what a failure inside it does to what the user sees, what is written to the
 * settings store, and that stopping never waits for a slow portal. Against the portal simulator
 * over loopback (its lists and counts follow the server: bitrix24-notify-api §2.1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient, type BatchCommand, type BatchResponse, type CallOptions, type PortalResponse } from '../../main/core/portal';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { MemoryBackend, Storage } from '../../main/core/storage/storage';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, recordEvents } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

/** A client that tells when a request of the engine's goes out. */
class WatchedClient extends PortalClient {
  onRequest: (what: string) => void = () => undefined;

  override call<T = unknown>(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<PortalResponse<T>> {
    this.onRequest(method);
    return super.call<T>(method, params, options);
  }

  override batch(commands: Record<string, BatchCommand>, options: { signal?: AbortSignal } = {}): Promise<BatchResponse> {
    this.onRequest('batch');
    return super.batch(commands, options);
  }
}

/** The settings store, counting what is written to it (each write rewrites the settings file). */
class CountingBackend extends MemoryBackend {
  writes: string[] = [];
  override set(key: string, value: unknown): void {
    this.writes.push(key);
    super.set(key, value);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simWith(confirms: number, regular: number): Promise<PortalSim> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  for (let i = 0; i < confirms; i += 1) portal.addConfirm({ text: `Join group ${i}?` });
  for (let i = 0; i < regular; i += 1) portal.addPersonal({ text: `Note ${i}` });
  return portal;
}

interface Running {
  engine: AccountEngine;
  client: WatchedClient;
  clock: FakeClock;
  /** REST requests during one poll. */
  poll(): Promise<number>;
}

/** An engine on `storage`, after its first poll. */
async function engineOn(portal: PortalSim, storage: Storage, clock = new FakeClock()): Promise<Running> {
  const client = new WatchedClient({ credentials: simWebhookCredentials(portal), backoffBaseMs: 5, backoffMaxMs: 20, maxAttempts: 2 });
  const engine = new AccountEngine({ accountId: 'main', client, storage, clock });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  const poll = async (): Promise<number> => {
    const before = portal.requestLog.length;
    const polled = nextEvent(engine, 'polled');
    await clock.advance(engine.pollIntervalMs);
    await polled;
    return portal.requestLog.length - before;
  };
  return { engine, client, clock, poll };
}

const memoryStorage = (backend = new MemoryBackend()): Storage => new Storage(backend, () => undefined);

/** Resolves when the engine sends `what` (its first request of that kind from now on). */
function requestSent(client: WatchedClient, what: string): Promise<void> {
  return new Promise((resolve) => {
    client.onRequest = (sent) => {
      if (sent === what) resolve();
    };
  });
}

describe('what one exchange sends', () => {
  it('sends an answer behind a wall of confirms with the full first page: the poll costs no more than a full read', async () => {
    const portal = await simWith(120, 20);
    const { engine, poll } = await engineOn(portal, memoryStorage());
    expect(await poll()).toBe(1); // idle: the quick look
    const newest = engine.state.inbox.find((item) => item.kind === 'confirm')!;
    const before = portal.requestLog.length;
    const polled = nextEvent(engine, 'polled');
    const outcome = engine.confirm(newest.id, 'Y');
    await polled;
    const sent = portal.requestLog.slice(before);
    // The count moved (the answer deleted the confirm): a quick look cannot explain it, so the
    // answer goes with the full first page and the poll reads on as a full read does.
    expect(sent.map((request) => request.restMethod)).toEqual(['batch', 'im.notify.get', 'im.notify.get']);
    expect(sent[0]?.batchCommands).toEqual(expect.arrayContaining([expect.stringMatching(/^im\.notify\.confirm\?/), 'im.notify.get?LIMIT=50']));
    await expect(outcome).resolves.toMatchObject({ status: 'done' });
  });

  it('writes nothing to the settings store on a poll where nothing moved', async () => {
    const portal = await simWith(0, 5);
    const backend = new CountingBackend();
    const { poll } = await engineOn(portal, memoryStorage(backend));
    expect(backend.writes).toContain('account:main:highWaterMark');
    backend.writes = [];
    await poll();
    await poll();
    expect(backend.writes).toEqual([]);
    portal.addPersonal({ text: 'News' });
    await poll();
    expect(backend.writes).toEqual(['account:main:highWaterMark']);
  });

  it('forgets the unread ranges with the account: added back, it announces nothing from them', async () => {
    const portal = await simWith(0, 10);
    const storage = memoryStorage();
    const first = await engineOn(portal, storage);
    // More news than one poll may read (four pages): the rest stays an unread range for later polls.
    for (let i = 0; i < 250; i += 1) portal.addPersonal({ text: `While away ${i}` });
    expect(await first.poll()).toBe(4);
    await first.engine.stop();
    new AccountStore(storage, new ProcessSecretBox()).remove('main');
    const before = portal.requestLog.length;
    const again = new AccountEngine({ accountId: 'main', client: first.client, storage, clock: new FakeClock() });
    cleanups.push(() => again.stop());
    const events = recordEvents(again);
    const polled = nextEvent(again, 'polled');
    again.start();
    await polled;
    // A fresh start: the first page only, nothing announced from before.
    expect(portal.requestLog.length - before).toBe(1);
    expect(events.announced).toEqual([]);
  });
});

describe('a failure inside the exchange', () => {
  it('shows the portal refusing a quick poll as the portal put it', async () => {
    const portal = await simWith(120, 20);
    const { engine, clock } = await engineOn(portal, memoryStorage());
    portal.setRestAvailable(false);
    const polled = nextEvent(engine, 'polled');
    await clock.advance(engine.pollIntervalMs);
    expect(await polled).toEqual([false]);
    expect(portal.requestLog.at(-1)?.restMethod).toBe('batch');
    expect(engine.state.connection.status).toBe('plan-unavailable');
  });

  it('keeps the inbox as it was when the portal refuses the list inside the batch that carried a mark', async () => {
    const portal = await simWith(0, 3);
    const { engine } = await engineOn(portal, memoryStorage());
    const shown = engine.state.inbox.map((item) => item.id);
    expect(shown).toHaveLength(3);
    // The operating budget of im.notify.get is used up (api §4.5) by another app on the same user.
    portal.setOperating({ limitSec: 1, costSec: { 'im.notify.get': 5 } });
    const other = new PortalClient({ credentials: simWebhookCredentials(portal), maxAttempts: 1 });
    await other.call('im.notify.get', {});
    await other.close();
    const events = recordEvents(engine);
    const polled = nextEvent(engine, 'polled');
    engine.markRead([shown[0]!]);
    expect(await polled).toEqual([false]);
    expect(portal.requestLog.at(-1)?.batchCommands).toHaveLength(2);
    expect(engine.state.inbox.map((item) => item.id)).toEqual(shown);
    expect(events.removed).toEqual([]);
    expect(engine.state.connection.status).toBe('rate-limited');
  });
});

describe('stopping mid-request', () => {
  // The portal holds each answer far longer than the test may run: only an abort ends the wait.
  const hold = { kind: 'delay', ms: 120_000 } as const;
  const bound = 10_000;

  it('does not wait for the first page', async () => {
    const portal = await simWith(0, 3);
    const { engine, client, clock } = await engineOn(portal, memoryStorage());
    portal.injectFault(hold, { restMethod: 'im.notify.get' });
    const sent = requestSent(client, 'im.notify.get');
    await clock.advance(engine.pollIntervalMs);
    await sent;
    await engine.stop();
    expect(engine.state.inbox).toHaveLength(3);
  }, bound);

  it('does not wait for a quick poll', async () => {
    const portal = await simWith(120, 20);
    const { engine, client, clock } = await engineOn(portal, memoryStorage());
    portal.injectFault(hold, { restMethod: 'batch' });
    const sent = requestSent(client, 'batch');
    await clock.advance(engine.pollIntervalMs);
    await sent;
    await engine.stop();
  }, bound);

  it('does not wait for the full first page a quick poll falls back to', async () => {
    const portal = await simWith(120, 20);
    const { engine, client, clock, poll } = await engineOn(portal, memoryStorage());
    expect(await poll()).toBe(1);
    // A confirm answered in the browser: the count moves, the quick look cannot stand.
    portal.answerInBrowser(engine.state.inbox.find((item) => item.kind === 'confirm')!.id, 'Y');
    portal.injectFault(hold, { restMethod: 'im.notify.get' });
    const sent = requestSent(client, 'im.notify.get');
    await clock.advance(engine.pollIntervalMs);
    await sent;
    await engine.stop();
    expect(portal.requestLog.at(-2)?.restMethod).toBe('batch');
  }, bound);
});
