/**
 * PushChannel lifecycle on virtual time (FakeClock). The socket is a stand-in that records what
 * the channel opened and lets the test play the server's side; the expected behaviour of each
 * event is the one real-portal-notes.md §4 gives (channel_expire → fetch the config again;
 * config_expire/server_restart → random 10–120 s wait; 4010 → fetch again; backoff 0.5/5/25/45/60 s).
 */
import { describe, expect, it } from 'vitest';
import { PortalError } from '../../main/core/portal/errors';
import { PushChannel, type PushState, type SocketHandlers } from '../../main/core/push/push-channel';
import { FakeClock } from '../harness/fake-clock';

interface FakeSocket {
  url: URL;
  handlers: SocketHandlers;
  closed: boolean;
}

const frame = (moduleId: string, command: string, mid: string, params: Record<string, unknown> = {}) =>
  JSON.stringify([{ id: mid, mid, channel: 'c', tag: '', time: '', text: { module_id: moduleId, command, params, extra: {} } }]);

function setup(configResult: () => unknown = () => defaultConfig(clockRef.clock.now())) {
  const clock = new FakeClock(Date.UTC(2026, 11, 5, 9));
  clockRef.clock = clock;
  const sockets: FakeSocket[] = [];
  const syncs: string[] = [];
  const health: boolean[] = [];
  const states: PushState[] = [];
  const logs: string[] = [];
  const secrets: string[] = [];
  let configCalls = 0;
  // A real server accepts at once; tests that need a server that never answers turn this off.
  const server = { accepts: true };
  const channel = new PushChannel({
    portalOrigin: 'https://portal.example',
    clock,
    random: () => 0,
    source: {
      call: (method) => {
        expect(method).toBe('pull.config.get');
        configCalls += 1;
        return Promise.resolve().then(() => ({ result: configResult() }));
      },
    },
    openSocket: (url, handlers) => {
      const socket = { url: new URL(url), handlers, closed: false };
      sockets.push(socket);
      if (server.accepts) queueMicrotask(() => handlers.onOpen());
      return { close: () => void (socket.closed = true) };
    },
    hinter: { requestSync: (reason) => syncs.push(reason), setPushHealthy: (healthy) => health.push(healthy) },
    log: (line) => logs.push(line),
    onState: (state) => states.push(state),
    addSecrets: (...s) => secrets.push(...s),
  });
  const live = () => sockets.filter((s) => !s.closed);
  const openLast = () => clock.advance(0);
  /** The server closes a socket. */
  const serverClose = (socket: FakeSocket | undefined, code: number) => {
    if (!socket) throw new Error('no socket');
    socket.closed = true;
    socket.handlers.onClose(code);
  };
  return { server, serverClose, clock, channel, sockets, live, syncs, health, states, logs, secrets, openLast, configCalls: () => configCalls };
}

const clockRef: { clock: FakeClock } = { clock: new FakeClock() };

function defaultConfig(nowMs: number, generation = 1) {
  return {
    server: { version: 4, server_enabled: true, websocket_enabled: true, websocket_secure: 'wss://rt.example/sub/' },
    channels: { private: { id: `private-${generation}`, end: new Date(nowMs + 12 * 3_600_000).toISOString() }, shared: { id: 'shared-1' } },
    clientId: 'client-secret-id',
  };
}

async function started() {
  const t = setup();
  t.channel.start();
  await t.clock.advance(0);
  await t.openLast();
  return t;
}

describe('PushChannel', () => {
  it('connects with the config, turns a burst of notify events into one sync, ignores other traffic', async () => {
    const t = await started();
    expect(t.channel.state).toBe('on');
    expect(t.health.at(-1)).toBe(true);
    expect(t.sockets[0]?.url.searchParams.get('CHANNEL_ID')).toBe('private-1/shared-1');
    expect(t.secrets).toEqual(expect.arrayContaining(['private-1', 'shared-1', 'client-secret-id']));
    await t.clock.advance(150);
    expect(t.syncs).toEqual(['push connected']); // a fresh channel cannot replay: one sync covers the gap
    for (let i = 0; i < 50; i += 1) t.sockets[0]?.handlers.onMessage(frame('im', 'notifyAdd', `m${i}`, { id: i }));
    t.sockets[0]?.handlers.onMessage(frame('im', 'message', 'chat1', { text: 'private chat text' }));
    await t.clock.advance(149);
    expect(t.syncs).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.syncs).toEqual(['push connected', 'push notify event']);
    t.sockets[0]?.handlers.onMessage(frame('online', 'userStatus', 'x1'));
    await t.clock.advance(1_000);
    expect(t.syncs).toHaveLength(2);
    const logText = t.logs.join('\n');
    for (const secret of ['private-1', 'shared-1', 'client-secret-id', 'private chat text']) expect(logText).not.toContain(secret);
  });

  it('garbage and oversized frames are dropped and the socket stays open', async () => {
    const t = await started();
    await t.clock.advance(150);
    t.sockets[0]?.handlers.onMessage('{{{garbage');
    t.sockets[0]?.handlers.onMessage(`[${'"x",'.repeat(100_000)}"x"]`);
    await t.clock.advance(150);
    expect(t.live()).toHaveLength(1);
    expect(t.channel.state).toBe('on');
    expect(t.syncs).toEqual(['push connected', 'push frame too large']);
  });

  it('reconnects with the last mid after a drop, backing off 0.5, 5, 25, 45 s, then falls back to polling', async () => {
    const t = await started();
    t.sockets[0]?.handlers.onMessage(frame('im', 'notifyRead', 'mid-42'));
    t.serverClose(t.sockets[0], 1006);
    expect(t.channel.state).toBe('reconnecting');
    expect(t.health.at(-1)).toBe(false);
    await t.clock.advance(499);
    expect(t.sockets).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.sockets).toHaveLength(2);
    expect(t.sockets[1]?.url.searchParams.get('mid')).toBe('mid-42');
    t.server.accepts = false;
    t.serverClose(t.sockets[1], 1006);
    await t.clock.advance(5_000);
    // From here the server refuses at once: each attempt fails; waits grow.
    const waits = [25_000, 45_000];
    for (const [i, wait] of waits.entries()) {
      t.serverClose(t.sockets.at(-1), 1006);
      await t.clock.advance(wait - 1);
      expect(t.sockets).toHaveLength(3 + i);
      await t.clock.advance(1);
      expect(t.sockets).toHaveLength(4 + i);
    }
    t.serverClose(t.sockets.at(-1), 1006);
    expect(t.channel.state).toBe('polling-fallback');
    expect(t.health.at(-1)).toBe(false);
    t.server.accepts = true;
    await t.clock.advance(10 * 60_000);
    expect(t.configCalls()).toBe(2);
    expect(t.channel.state).toBe('on');
  });

  it('a resumed socket replays from mid: no extra sync request', async () => {
    const t = await started();
    await t.clock.advance(150);
    t.sockets[0]?.handlers.onMessage(frame('im', 'notifyRead', 'mid-1'));
    await t.clock.advance(150);
    t.serverClose(t.sockets[0], 1001);
    await t.clock.advance(500);
    await t.openLast();
    await t.clock.advance(1_000);
    expect(t.syncs).toEqual(['push connected', 'push notify event']);
  });

  it('channel_expire and close 4010 fetch the config again at once', async () => {
    const t = await started();
    t.sockets[0]?.handlers.onMessage(frame('pull', 'channel_expire', 'm1'));
    await t.clock.advance(0);
    expect(t.configCalls()).toBe(2);
    expect(t.sockets[0]?.closed).toBe(true);
    expect(t.live()).toHaveLength(1);
    await t.openLast();
    t.serverClose(t.sockets.at(-1), 4010);
    await t.clock.advance(0);
    expect(t.configCalls()).toBe(3);
    expect(t.live()).toHaveLength(1);
  });

  it('server_restart and config_expire wait 10–120 s before fetching the config', async () => {
    for (const command of ['server_restart', 'config_expire']) {
      const t = await started();
      t.sockets[0]?.handlers.onMessage(frame('pull', command, 'm1'));
      expect(t.channel.state).toBe('waiting-for-server');
      expect(t.live()).toHaveLength(0);
      await t.clock.advance(9_999); // random() = 0 → exactly 10 s
      expect(t.configCalls()).toBe(1);
      await t.clock.advance(1);
      expect(t.configCalls()).toBe(2);
    }
  });

  it('fetches the config again before the channel ends', async () => {
    const t = await started();
    await t.clock.advance(12 * 3_600_000 - 5 * 60_000 - 1);
    expect(t.configCalls()).toBe(1);
    await t.clock.advance(1);
    expect(t.configCalls()).toBe(2);
  });

  it('a silent socket is reopened; a socket that never opens counts as a failure', async () => {
    const t = await started();
    t.server.accepts = false;
    await t.clock.advance(10 * 60_000);
    expect(t.sockets).toHaveLength(2);
    expect(t.sockets[0]?.closed).toBe(true);
    await t.clock.advance(15_000); // the new one never answers
    expect(t.channel.state).toBe('reconnecting');
  });

  it('resume/online/proxy change: reconnect replaces the socket, never two at once', async () => {
    const t = await started();
    t.channel.reconnect('resumed');
    t.channel.reconnect('online');
    expect(t.live()).toHaveLength(1);
    expect(t.sockets).toHaveLength(3);
    t.sockets[0]?.handlers.onClose(1006); // a late close of an old socket changes nothing
    expect(t.channel.state).toBe('connecting');
    t.channel.stop();
    expect(t.live()).toHaveLength(0);
    expect(t.channel.state).toBe('off');
  });

  it('reports no permission and not offered, and polls on', async () => {
    const cases: [Error, PushState][] = [
      [new PortalError({ kind: 'scope', code: 'insufficient_scope', delivery: 'not-processed' }), 'no-permission'],
      [new PortalError({ kind: 'auth', code: 'WRONG_AUTH_TYPE', delivery: 'not-processed' }), 'not-offered'],
    ];
    for (const [error, state] of cases) {
      const t = setup(() => {
        throw error;
      });
      t.channel.start();
      await t.clock.advance(0);
      expect(t.channel.state).toBe(state);
      expect(t.sockets).toHaveLength(0);
      expect(t.health).not.toContain(true);
      await t.clock.advance(60 * 60_000);
      expect(t.configCalls()).toBe(2);
    }
  });

  it('budget: a healthy idle hour costs one config fetch and no socket churn beyond stale reopens', async () => {
    const t = await started();
    await t.clock.advance(60 * 60_000);
    expect(t.configCalls()).toBe(1);
    expect(t.syncs).toEqual(['push connected']);
  });
});
