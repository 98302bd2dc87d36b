/**
 * A Push & Pull server on loopback, as the simulator's real-time side. Behaviour from
 * shared/docs/real-portal-notes.md §4 and DOCS custom-push-and-pull-client.md: the client connects
 * with `CHANNEL_ID=<private>/<shared>&clientId=…&format=json[&mid=…]`; a wrong channel is closed
 * with 4010; with `format=json` every frame is a JSON array of
 * `{id, mid, channel, tag, time, text:{module_id, command, params, extra}}`; `mid` replays what
 * came after it. Faults make it misbehave the ways a real server and network do.
 *
 * Long polling on the same port (real-portal-notes §4; the protocol as Bitrix24's own client
 * speaks it, b24jssdk pullClient/long-polling-connector.ts): GET with the same parameters; messages
 * after `mid` at once (200, the same JSON array); otherwise held until a message (200) or for
 * `longPollHoldMs` (304 with `Expires: Thu, 01 Jan 1973 11:11:01 GMT` and `Last-Message-Id`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type PushFault =
  | 'drop'
  | 'stale'
  | 'garbage'
  | 'oversized'
  | 'wrong-channel'
  | 'refuse'
  /** WebSocket upgrades refused (503), long polling still answered: a proxy that blocks sockets. */
  | 'refuse-websocket'
  | 'channel-expire'
  | 'config-expire'
  | 'server-restart';

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
  /** Ends the lasting faults (stale, refuse, refuse-websocket): the server behaves again. */
  heal(): void;
  /** Delay every handshake by this long (slow accept). */
  acceptDelayMs: number;
  /** How long a long-poll request with nothing to send is held before its 304 (real servers: ~60 s). */
  longPollHoldMs: number;
  readonly openSockets: number;
  /** Long-poll requests being held now. */
  readonly heldLongPolls: number;
  readonly connectQueries: URLSearchParams[];
  /** The query of every long-poll request, in order. */
  readonly longPollQueries: URLSearchParams[];
  /** Resolves with the query of the `n`-th long-poll request (from 1) once it has arrived. */
  longPollArrival(n: number): Promise<URLSearchParams>;
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
  const longPollQueries: URLSearchParams[] = [];
  const arrivalWaiters: { n: number; resolve: (query: URLSearchParams) => void }[] = [];
  const held = new Set<{ respond: (text?: string) => void; response: ServerResponse }>();
  let nextMid = 1;
  let silent = false;
  let refusing = false;
  let refusingSockets = false;
  const http = createServer((request, response) => longPoll(request, response));
  const wss = new WebSocketServer({
    server: http,
    verifyClient: (_info, done) => {
      if (refusing || refusingSockets) return done(false, 503);
      setTimeout(() => done(true), server.acceptDelayMs);
    },
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const port = (http.address() as AddressInfo).port;
  const rightChannel = (query: URLSearchParams): boolean => query.get('CHANNEL_ID') === `${privateChannelId}/${sharedChannelId}` && query.get('clientId') === clientId;
  const after = (mid: string | null): Sent[] => {
    const since = mid ? sent.findIndex((each) => each.mid === mid) : -1;
    return since >= 0 ? sent.slice(since + 1) : [];
  };

  function longPoll(request: IncomingMessage, response: ServerResponse): void {
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    longPollQueries.push(query);
    for (const waiter of arrivalWaiters.filter((each) => each.n === longPollQueries.length)) waiter.resolve(query);
    if (refusing) return void response.writeHead(503).end();
    if (!rightChannel(query)) return void response.writeHead(400).end('wrong channel');
    const missed = after(query.get('mid'));
    if (missed.length > 0 && !silent) return void response.writeHead(200).end(JSON.stringify(missed.map((each) => each.frame)));
    const from = sent.length;
    const entry = {
      response,
      respond: (text?: string) => {
        held.delete(entry);
        clearTimeout(timer);
        if (text !== undefined) return void response.writeHead(200).end(text);
        const news = sent.slice(from);
        if (news.length > 0) return void response.writeHead(200).end(JSON.stringify(news.map((each) => each.frame)));
        const last = sent.at(-1)?.mid;
        response.writeHead(304, { Expires: 'Thu, 01 Jan 1973 11:11:01 GMT', ...(last ? { 'Last-Message-Id': last } : {}) }).end();
      },
    };
    held.add(entry);
    // A stale server holds on past its own timeout: the client's stale detection has to act.
    const timer = setTimeout(() => !silent && entry.respond(), server.longPollHoldMs);
    response.on('close', () => {
      held.delete(entry);
      clearTimeout(timer);
    });
  }

  const message = (moduleId: string, command: string, params: Record<string, unknown>): Sent => {
    const mid = `mid-${nextMid++}`;
    return { mid, frame: { id: mid, mid, channel: privateChannelId, tag: '', time: new Date().toISOString(), text: { module_id: moduleId, command, params, extra: {} }, extra: {} } };
  };
  /** To every socket and every held long poll (frames not kept for replay: faults, garbage). */
  const sendAll = (text: string): void => {
    if (silent) return;
    for (const socket of sockets) socket.send(text);
    for (const entry of [...held]) entry.respond(text);
  };
  const answerHeld = (): void => {
    if (!silent) for (const entry of [...held]) entry.respond();
  };

  wss.on('connection', (socket, request) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    connectQueries.push(query);
    if (!rightChannel(query)) {
      socket.close(4010, 'wrong channel');
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const missed = after(query.get('mid'));
    if (missed.length > 0) socket.send(JSON.stringify(missed.map((each) => each.frame)));
  });

  const server: PushServer = {
    socketUrl: `ws://127.0.0.1:${port}/sub/`,
    privateChannelId,
    sharedChannelId,
    clientId,
    acceptDelayMs: 0,
    longPollHoldMs: 60_000,
    get openSockets() {
      return sockets.size;
    },
    get heldLongPolls() {
      return held.size;
    },
    connectQueries,
    longPollQueries,
    longPollArrival: (n) =>
      new Promise((resolve) => {
        const arrived = longPollQueries[n - 1];
        if (arrived) resolve(arrived);
        else arrivalWaiters.push({ n, resolve });
      }),
    config: (nowMs) => ({
      server: {
        version: 4,
        server_enabled: true,
        websocket_enabled: true,
        websocket: server.socketUrl,
        websocket_secure: server.socketUrl.replace('ws:', 'wss:'),
        long_polling: server.socketUrl.replace('ws:', 'http:'),
        long_pooling_secure: server.socketUrl.replace('ws:', 'https:'), // sic: the server's spelling (§4)
      },
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
      if (!silent) for (const socket of sockets) socket.send(JSON.stringify([each.frame]));
      answerHeld();
    },
    heal() {
      silent = false;
      refusing = false;
      refusingSockets = false;
    },
    fault(fault) {
      switch (fault) {
        case 'drop':
          for (const socket of sockets) socket.terminate();
          for (const entry of [...held]) entry.response.destroy();
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
          for (const entry of [...held]) entry.response.destroy();
          return;
        case 'refuse-websocket':
          refusingSockets = true;
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
        for (const entry of [...held]) entry.response.destroy();
        wss.close(() => http.close(() => resolve()));
        http.closeAllConnections();
      }),
  };
  return server;
}
