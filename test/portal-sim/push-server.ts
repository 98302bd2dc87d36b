/**
 * A Push & Pull server on loopback, as the simulator's real-time side. Behaviour from
 * shared/docs/real-portal-notes.md §4 and DOCS custom-push-and-pull-client.md: the client connects
 * with `CHANNEL_ID=<private>/<shared>&clientId=…&format=json[&mid=…]`; a wrong channel is closed
 * with 4010; with `format=json` every frame is a JSON array of
 * `{id, mid, channel, tag, time, text:{module_id, command, params, extra}}`; `mid` replays what
 * came after it. Faults make it misbehave the ways a real server and network do.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type PushFault = 'drop' | 'stale' | 'garbage' | 'oversized' | 'wrong-channel' | 'refuse' | 'channel-expire' | 'config-expire' | 'server-restart';

interface Sent {
  mid: string;
  frame: Record<string, unknown>;
}

export interface PushServer {
  readonly socketUrl: string;
  readonly privateChannelId: string;
  readonly sharedChannelId: string;
  readonly clientId: string;
  /** The `pull.config.get` result a portal would give for this server (version 4). */
  config(nowMs: number): Record<string, unknown>;
  publish(moduleId: string, command: string, params: Record<string, unknown>): void;
  /** The commands published so far, in order. */
  sentCommands(): string[];
  fault(fault: PushFault): void;
  /** Delay every handshake by this long (slow accept). */
  acceptDelayMs: number;
  readonly openSockets: number;
  readonly connectQueries: URLSearchParams[];
  close(): Promise<void>;
}

const CHANNEL_TTL_MS = 43_205_000; // CHANNEL_TTL in MOD pull (§4: channels live about 12 h)

export async function startPushServer(): Promise<PushServer> {
  const privateChannelId = randomBytes(16).toString('hex');
  const sharedChannelId = randomBytes(16).toString('hex');
  const clientId = randomBytes(8).toString('hex');
  const sent: Sent[] = [];
  const sockets = new Set<WebSocket>();
  const connectQueries: URLSearchParams[] = [];
  let nextMid = 1;
  let silent = false;
  let refusing = false;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, done) => {
      if (refusing) return done(false, 503);
      setTimeout(() => done(true), server.acceptDelayMs);
    },
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as AddressInfo).port;

  const message = (moduleId: string, command: string, params: Record<string, unknown>): Sent => {
    const mid = `mid-${nextMid++}`;
    return { mid, frame: { id: mid, mid, channel: privateChannelId, tag: '', time: new Date().toISOString(), text: { module_id: moduleId, command, params, extra: {} }, extra: {} } };
  };
  const sendAll = (text: string): void => {
    if (silent) return;
    for (const socket of sockets) socket.send(text);
  };

  wss.on('connection', (socket, request) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    connectQueries.push(query);
    if (query.get('CHANNEL_ID') !== `${privateChannelId}/${sharedChannelId}` || query.get('clientId') !== clientId) {
      socket.close(4010, 'wrong channel');
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const mid = query.get('mid');
    const since = mid ? sent.findIndex((each) => each.mid === mid) : -1;
    const missed = since >= 0 ? sent.slice(since + 1) : [];
    if (missed.length > 0) socket.send(JSON.stringify(missed.map((each) => each.frame)));
  });

  const server: PushServer = {
    socketUrl: `ws://127.0.0.1:${port}/sub/`,
    privateChannelId,
    sharedChannelId,
    clientId,
    acceptDelayMs: 0,
    get openSockets() {
      return sockets.size;
    },
    connectQueries,
    config: (nowMs) => ({
      server: { version: 4, server_enabled: true, websocket_enabled: true, websocket: server.socketUrl, websocket_secure: server.socketUrl.replace('ws:', 'wss:') },
      channels: {
        private: { id: privateChannelId, start: new Date(nowMs).toISOString(), end: new Date(nowMs + CHANNEL_TTL_MS).toISOString(), type: 'private' },
        shared: { id: sharedChannelId, start: new Date(nowMs).toISOString(), end: new Date(nowMs + CHANNEL_TTL_MS).toISOString(), type: 'shared' },
      },
      exp: Math.floor((nowMs + CHANNEL_TTL_MS) / 1000),
      clientId,
    }),
    sentCommands: () => sent.map((each) => String((each.frame.text as { command: string }).command)),
    publish(moduleId, command, params) {
      const each = message(moduleId, command, params);
      sent.push(each);
      sendAll(JSON.stringify([each.frame]));
    },
    fault(fault) {
      switch (fault) {
        case 'drop':
          for (const socket of sockets) socket.terminate();
          return;
        case 'stale':
          silent = true;
          return;
        case 'garbage':
          sendAll('{"module_id": im, garbage');
          return;
        case 'oversized':
          sendAll(JSON.stringify([message('im', 'notifyAdd', { text: 'x'.repeat(300 * 1024) }).frame]));
          return;
        case 'wrong-channel':
          for (const socket of sockets) socket.close(4010, 'wrong channel');
          return;
        case 'refuse':
          refusing = true;
          for (const socket of sockets) socket.terminate();
          return;
        case 'channel-expire':
          sendAll(JSON.stringify([message('pull', 'channel_expire', { channel: { id: privateChannelId, type: 'private' } }).frame]));
          return;
        case 'config-expire':
          sendAll(JSON.stringify([message('pull', 'config_expire', {}).frame]));
          return;
        case 'server-restart':
          sendAll(JSON.stringify([message('pull', 'server_restart', {}).frame]));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close(() => resolve());
      }),
  };
  return server;
}
