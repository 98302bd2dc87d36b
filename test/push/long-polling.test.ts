/**
 * Long polling on the same channel when the socket keeps failing (issue 16; real-portal-notes §4:
 * "after repeated failures fall back to long polling (same parameters; 200 = data, 304 = nothing,
 * 60 s timeout)"). Two layers: the channel's choices on virtual time with stand-in transports, and
 * the undici long-poll transport over real HTTP against the simulator's push server, which answers
 * as Bitrix24's own pull client expects (b24jssdk pullClient/long-polling-connector.ts).
 */
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../main/core/push/frames';
import { LONG_POLL_MIN_SPACING_MS, undiciLongPollFactory, type LongPollHandlers } from '../../main/core/push/long-poll';
import { PushChannel, type PushState, type SocketHandlers } from '../../main/core/push/push-channel';
import { startPushServer } from '../portal-sim/push-server';
import { FakeClock } from '../harness/fake-clock';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const frame = (command: string, mid: string) => JSON.stringify([{ id: mid, mid, channel: 'c', tag: '', time: '', text: { module_id: 'im', command, params: {}, extra: {} } }]);

interface FakeLongPoll {
  url: () => URL;
  handlers: LongPollHandlers;
  closed: boolean;
}

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 11, 5, 9));
  const sockets: SocketHandlers[] = [];
  const longPolls: FakeLongPoll[] = [];
  const syncs: string[] = [];
  const health: boolean[] = [];
  const states: PushState[] = [];
  const logs: string[] = [];
  let configCalls = 0;
  const channel = new PushChannel({
    portalOrigin: 'https://portal.example',
    clock,
    random: () => 0,
    source: {
      call: () => {
        configCalls += 1;
        return Promise.resolve({
          result: {
            server: { version: 4, server_enabled: true, websocket_enabled: true, websocket_secure: 'wss://rt.example/sub/', long_pooling_secure: 'https://rt.example/sub/' },
            channels: { private: { id: 'private-1', end: new Date(clock.now() + 12 * 3_600_000).toISOString() }, shared: { id: 'shared-1' } },
            clientId: 'client-secret-id',
          },
        });
      },
    },
    // A proxy that refuses WebSocket upgrades: every socket fails as it opens.
    openSocket: (_url, handlers) => {
      sockets.push(handlers);
      queueMicrotask(() => handlers.onClose(1006));
      return { close: () => undefined };
    },
    openLongPoll: (urlFor, handlers) => {
      const longPoll = { url: () => new URL(urlFor()), handlers, closed: false };
      longPolls.push(longPoll);
      return { close: () => void (longPoll.closed = true) };
    },
    hinter: { requestSync: (reason) => syncs.push(reason), setPushHealthy: (healthy) => health.push(healthy) },
    log: (line) => logs.push(line),
    onState: (state) => states.push(state),
  });
  cleanups.push(() => channel.stop());
  return { clock, channel, sockets, longPolls, syncs, health, states, logs, configCalls: () => configCalls };
}

/** Starts the channel and lets the socket fail five times in a row (waits 0.5, 5, 25, 45 s between). */
async function longPolling() {
  const t = setup();
  t.channel.start();
  await t.clock.advance(0);
  for (const waitMs of [500, 5_000, 25_000, 45_000]) await t.clock.advance(waitMs);
  return t;
}

describe('the channel falls back to long polling', () => {
  it('after five socket failures in a row: the same channel, healthy, notify events become syncs', async () => {
    const t = await longPolling();
    expect(t.sockets).toHaveLength(5);
    expect(t.longPolls).toHaveLength(1);
    const url = t.longPolls[0]!.url();
    expect(url.origin + url.pathname).toBe('https://rt.example/sub/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ CHANNEL_ID: 'private-1/shared-1', clientId: 'client-secret-id', format: 'json' });
    t.longPolls[0]!.handlers.onOpen();
    expect(t.channel.state).toBe('long-polling');
    expect(t.health.at(-1)).toBe(true); // as real-time as the socket: polling slows to the safety poll
    await t.clock.advance(150);
    expect(t.syncs).toEqual(['push connected']);
    t.longPolls[0]!.handlers.onMessage(frame('notifyAdd', 'mid-7'));
    await t.clock.advance(150);
    expect(t.syncs).toEqual(['push connected', 'push notify event']);
    expect(t.logs.filter((line) => line.includes('long polling instead'))).toHaveLength(1);
    expect(t.logs.join('\n')).not.toMatch(/private-1|shared-1|client-secret-id/);
  });

  it('each request resumes from the last message: from a frame, or from a 304’s Last-Message-Id', async () => {
    const t = await longPolling();
    const longPoll = t.longPolls[0]!;
    longPoll.handlers.onOpen();
    longPoll.handlers.onMessage(frame('notifyRead', 'mid-7'));
    expect(longPoll.url().searchParams.get('mid')).toBe('mid-7');
    longPoll.handlers.onIdle('mid-9');
    expect(longPoll.url().searchParams.get('mid')).toBe('mid-9');
    longPoll.handlers.onIdle(undefined);
    expect(longPoll.url().searchParams.get('mid')).toBe('mid-9');
  });

  it('three long-poll failures in a row give way to plain polling; then the socket gets another chance', async () => {
    const t = await longPolling();
    t.longPolls[0]!.handlers.onOpen();
    t.longPolls[0]!.handlers.onClose(503);
    expect(t.channel.state).toBe('reconnecting');
    expect(t.health.at(-1)).toBe(false);
    await t.clock.advance(500);
    t.longPolls[1]!.handlers.onClose(503);
    await t.clock.advance(5_000);
    t.longPolls[2]!.handlers.onClose(503);
    expect(t.channel.state).toBe('polling-fallback');
    expect(t.longPolls).toHaveLength(3);
    const socketsBefore = t.sockets.length;
    await t.clock.advance(10 * 60_000);
    expect(t.configCalls()).toBe(2);
    expect(t.sockets.length).toBe(socketsBefore + 1);
  });

  it('resume, back online or a proxy change try the socket first again', async () => {
    const t = await longPolling();
    t.longPolls[0]!.handlers.onOpen();
    const socketsBefore = t.sockets.length;
    t.channel.reconnect('resumed from sleep');
    expect(t.longPolls[0]!.closed).toBe(true);
    expect(t.sockets).toHaveLength(socketsBefore + 1);
  });

  it('a long poll that brings nothing for the stale time is replaced by a new one', async () => {
    const t = await longPolling();
    t.longPolls[0]!.handlers.onOpen();
    await t.clock.advance(9 * 60_000);
    t.longPolls[0]!.handlers.onIdle(undefined); // a 304: alive
    await t.clock.advance(9 * 60_000);
    expect(t.longPolls).toHaveLength(1);
    await t.clock.advance(60_000);
    expect(t.longPolls[0]!.closed).toBe(true);
    expect(t.longPolls).toHaveLength(2);
  });
});

describe('the long-poll transport over real HTTP (undici, the simulator’s push server)', () => {
  async function transport() {
    const server = await startPushServer();
    const agent = new Agent();
    const clock = new FakeClock();
    cleanups.push(
      () => server.close(),
      () => agent.close(),
    );
    const events = { opened: 0, messages: [] as string[], idles: [] as (string | undefined)[], closes: [] as number[] };
    const waiters: (() => void)[] = [];
    const changed = () => waiters.splice(0).forEach((wake) => wake());
    const until = (check: () => boolean): Promise<void> => (check() ? Promise.resolve() : new Promise((resolve) => waiters.push(() => void until(check).then(resolve))));
    let mid: string | undefined;
    let channelId = `${server.privateChannelId}/${server.sharedChannelId}`;
    const url = () => `${server.socketUrl.replace('ws:', 'http:')}?CHANNEL_ID=${channelId}&clientId=${server.clientId}&format=json${mid ? `&mid=${mid}` : ''}`;
    const open = undiciLongPollFactory(() => Promise.resolve({ dispatcher: agent }), clock, MAX_FRAME_BYTES);
    const handle = open(url, {
      onOpen: () => ((events.opened += 1), changed()),
      onMessage: (text) => {
        mid = (JSON.parse(text) as { mid: string }[]).at(-1)?.mid ?? mid;
        events.messages.push(text);
        changed();
      },
      onIdle: (lastMessageId) => {
        mid = lastMessageId ?? mid;
        events.idles.push(lastMessageId);
        changed();
      },
      onClose: (code) => (events.closes.push(code), changed()),
    });
    cleanups.unshift(() => handle.close());
    return { server, clock, events, until, handle, setChannel: (id: string) => (channelId = id) };
  }

  it('is held until a message (200 with the frames), resumes from it, gets a 304 with Last-Message-Id, and asks at most once a second', async () => {
    const { server, clock, events, until } = await transport();
    await server.longPollArrival(1);
    expect(server.heldLongPolls).toBe(1);
    server.publish('im', 'notifyAdd', { id: 5 });
    await until(() => events.messages.length === 1);
    expect(events.messages[0]).toContain('notifyAdd');
    expect(events.opened).toBe(1);
    // The next request waits out the rest of the second on the clock: no busy loop.
    server.longPollHoldMs = 0;
    expect(server.longPollQueries).toHaveLength(1);
    await clock.advance(LONG_POLL_MIN_SPACING_MS);
    const second = await server.longPollArrival(2);
    expect(second.get('mid')).toBe('mid-1');
    await until(() => events.idles.length === 1);
    expect(events.idles).toEqual(['mid-1']);
    expect(server.longPollQueries).toHaveLength(2);
    expect(events.closes).toEqual([]);
  });

  it('counts as connected once a held request has not failed for 5 s; a refusal closes it with its status', async () => {
    const { server, clock, events, until } = await transport();
    await server.longPollArrival(1);
    expect(events.opened).toBe(0);
    await clock.advance(5_000);
    expect(events.opened).toBe(1);
    server.fault('refuse'); // drops the held request: no answer at all
    await until(() => events.closes.length === 1);
    expect(events.closes).toEqual([1006]);
  });

  it('a wrong channel is a failure with the server’s status', async () => {
    const { server, clock, events, until, setChannel } = await transport();
    await server.longPollArrival(1);
    server.publish('im', 'notifyAdd', { id: 1 });
    await until(() => events.messages.length === 1);
    setChannel('nobody/nothing');
    await clock.advance(LONG_POLL_MIN_SPACING_MS);
    await until(() => events.closes.length === 1);
    expect(events.closes).toEqual([400]);
    expect(server.longPollQueries).toHaveLength(2);
  });
});
