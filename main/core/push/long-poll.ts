/**
 * Long polling on the same channel, for when the socket keeps failing (a proxy that refuses
 * WebSocket upgrades, say). The protocol, as Bitrix24's own pull client speaks it (b24jssdk
 * `pullClient/long-polling-connector.ts`; real-portal-notes.md §4): GET the long-polling address
 * with the socket's parameters; the server holds the request until it has messages (200, the
 * same text frames as the socket) or until its timeout (304, and with `Expires: Thu, 01 Jan 1973
 * 11:11:01 GMT` a `Last-Message-Id` header to resume from); any other status is a failure. A
 * request that has not failed within 5 s counts as connected. Over undici with the portal's
 * dispatcher, like the socket and the REST calls, so the proxy and CA trust apply.
 */
import { request, type Dispatcher } from 'undici';
import type { Clock } from '../clock';
import type { DispatcherFactory } from '../portal/http';
import type { PushSocket, SocketHandlers } from './push-channel';

/** The server holds a request up to 60 s (b24jssdk LONG_POLLING_TIMEOUT); a little more, then give up. */
export const LONG_POLL_TIMEOUT_MS = 75_000;
/** Not failed within this long: connected (b24jssdk `_failureTimeout`). */
export const LONG_POLL_OPEN_AFTER_MS = 5_000;
/** A server answering at once every time must not turn into a busy loop. */
export const LONG_POLL_MIN_SPACING_MS = 1_000;
/** The 304 that carries a resume point says so with this exact date (b24jssdk onResponse). */
const RESUME_MARKER_EXPIRES = 'Thu, 01 Jan 1973 11:11:01 GMT';
const ABNORMAL_CLOSE = 1006;

export interface LongPollHandlers extends SocketHandlers {
  /** The server answered with nothing new; `lastMessageId`: where to resume from. */
  onIdle(lastMessageId: string | undefined): void;
}

export type LongPollFactory = (urlFor: () => string, handlers: LongPollHandlers) => PushSocket;

export function undiciLongPollFactory(route: DispatcherFactory, clock: Clock, maxBodyBytes: number): LongPollFactory {
  return (urlFor, handlers) => {
    const stop = new AbortController();
    let opened = false;
    const open = (): void => {
      if (opened || stop.signal.aborted) return;
      opened = true;
      handlers.onOpen();
    };
    const loop = async (): Promise<void> => {
      const { dispatcher } = await route(new URL(urlFor()).origin);
      // The server holds the first request while it has nothing to say: not failing is connecting.
      clock.sleep(LONG_POLL_OPEN_AFTER_MS, stop.signal).then(open, () => undefined);
      while (!stop.signal.aborted) {
        const startedAtMs = clock.now();
        const reply = await get(urlFor(), dispatcher, stop.signal, maxBodyBytes);
        if (stop.signal.aborted) return;
        if (reply.status === 200) {
          open();
          if (reply.text) handlers.onMessage(reply.text);
          else handlers.onIdle(undefined);
        } else if (reply.status === 304) {
          open();
          handlers.onIdle(reply.expires === RESUME_MARKER_EXPIRES ? reply.lastMessageId : undefined);
        } else {
          stop.abort(); // no late "connected" for a request that failed
          handlers.onClose(reply.status > 0 ? reply.status : ABNORMAL_CLOSE);
          return;
        }
        const elapsedMs = clock.now() - startedAtMs;
        if (elapsedMs < LONG_POLL_MIN_SPACING_MS) await clock.sleep(LONG_POLL_MIN_SPACING_MS - elapsedMs, stop.signal).catch(() => undefined);
      }
    };
    loop().catch(() => {
      if (stop.signal.aborted) return;
      stop.abort();
      handlers.onClose(ABNORMAL_CLOSE);
    });
    return { close: () => stop.abort() };
  };
}

interface Reply {
  /** 0: no answer (refused, timed out, reset). */
  status: number;
  text: string;
  expires: string | undefined;
  lastMessageId: string | undefined;
}

/** One long-poll request; a body over the cap is cut there (the channel drops it as oversized). */
async function get(url: string, dispatcher: Dispatcher, stop: AbortSignal, maxBodyBytes: number): Promise<Reply> {
  const failed: Reply = { status: 0, text: '', expires: undefined, lastMessageId: undefined };
  try {
    const response = await request(url, { method: 'GET', dispatcher, signal: AbortSignal.any([stop, AbortSignal.timeout(LONG_POLL_TIMEOUT_MS)]), headersTimeout: LONG_POLL_TIMEOUT_MS, bodyTimeout: LONG_POLL_TIMEOUT_MS });
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes > maxBodyBytes) {
        response.body.destroy();
        break;
      }
    }
    return { status: response.statusCode, text: Buffer.concat(chunks).toString('utf8'), expires: header('expires'), lastMessageId: header('last-message-id') };
  } catch {
    return failed;
  }
}
