/**
 * PushChannel over a real socket: undici's WebSocket (the portal's dispatcher) against the
 * simulator's Push & Pull server on loopback. Waits are on events (the hinter's calls), not sleeps.
 */
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../main/core/clock';
import { PushChannel, type PushState } from '../../main/core/push/push-channel';
import { undiciSocketFactory } from '../../main/core/push/undici-socket';
import { startPushServer, type PushServer } from '../portal-sim/push-server';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Resolves with the first item from index `from` on that matches, now or when it is pushed. */
function waitFor<T>(list: T[], predicate: (item: T) => boolean, from = 0): Promise<T> {
  return new Promise((resolve) => {
    const found = list.slice(from).find(predicate);
    if (found !== undefined) return resolve(found);
    const push = list.push.bind(list);
    list.push = (...items: T[]) => {
      const count = push(...items);
      const hit = items.find(predicate);
      if (hit !== undefined) resolve(hit);
      return count;
    };
  });
}

async function connected(): Promise<{ server: PushServer; channel: PushChannel; syncs: string[]; states: PushState[]; logs: string[] }> {
  const server = await startPushServer();
  const agent = new Agent();
  const syncs: string[] = [];
  const states: PushState[] = [];
  const logs: string[] = [];
  const channel = new PushChannel({
    portalOrigin: 'http://127.0.0.1:1',
    source: { call: () => Promise.resolve({ result: server.config(Date.now()) }) },
    openSocket: undiciSocketFactory(() => Promise.resolve({ dispatcher: agent })),
    hinter: { requestSync: (reason) => syncs.push(reason), setPushHealthy: () => undefined },
    clock: systemClock,
    random: () => 0,
    onState: (state) => states.push(state),
    log: (line) => logs.push(line),
  });
  cleanups.push(
    () => channel.stop(),
    () => server.close(),
    () => agent.close(),
  );
  channel.start();
  await waitFor(states, (s) => s === 'on');
  await waitFor(syncs, (s) => s === 'push connected');
  return { server, channel, syncs, states, logs };
}

describe('push over a real socket', () => {
  it('a notifyAdd on the portal becomes one sync request; other traffic none', async () => {
    const { server, syncs, logs } = await connected();
    const query = server.connectQueries[0];
    expect(query?.get('format')).toBe('json');
    server.publish('im', 'message', { text: 'a private chat line' });
    server.publish('im', 'notifyAdd', { id: 1 });
    server.publish('im', 'notifyAdd', { id: 2 });
    await waitFor(syncs, (s) => s === 'push notify event');
    expect(syncs.filter((s) => s === 'push notify event')).toHaveLength(1);
    const logText = logs.join('\n');
    for (const secret of [server.privateChannelId, server.sharedChannelId, server.clientId, 'a private chat line']) expect(logText).not.toContain(secret);
  });

  it('garbage and oversized frames keep the connection; a drop reconnects with mid and replays', async () => {
    const { server, syncs, states } = await connected();
    server.fault('garbage');
    server.fault('oversized');
    await waitFor(syncs, (s) => s === 'push frame too large');
    expect(server.openSockets).toBe(1);
    server.publish('im', 'notifyRead', { list: [1] });
    await waitFor(syncs, (s) => s === 'push notify event');
    const mark = states.length;
    server.fault('drop');
    await waitFor(states, (s) => s === 'reconnecting', mark);
    await waitFor(states, (s) => s === 'on', states.indexOf('reconnecting', mark));
    expect(server.connectQueries.at(-1)?.get('mid')).toBeTruthy();
    expect(server.openSockets).toBe(1);
  });

  it('close 4010 fetches the config and reconnects', async () => {
    const { server, states } = await connected();
    const before = server.connectQueries.length;
    const mark = states.length;
    server.fault('wrong-channel');
    await waitFor(states, (s) => s === 'connecting', mark);
    await waitFor(states, (s) => s === 'on', states.indexOf('connecting', mark));
    expect(server.connectQueries.length).toBe(before + 1);
  });
});
