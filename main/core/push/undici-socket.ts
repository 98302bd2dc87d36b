/**
 * The push socket over undici's WebSocket, given the SAME dispatcher as the portal's REST calls
 * (DispatcherFactory in ../portal/http.ts), so the system proxy and the CA trust apply to push too.
 * Only text frames are read: we never ask for `binaryMode` (real-portal-notes.md §4).
 */
import { WebSocket } from 'undici';
import type { DispatcherFactory } from '../portal/http';
import type { PushSocket, SocketFactory, SocketHandlers } from './push-channel';

/** Abnormal closure (RFC 6455 §7.4.1): what we report when the connection could not even start. */
const ABNORMAL_CLOSE = 1006;

export function undiciSocketFactory(route: DispatcherFactory): SocketFactory {
  return (url: string, handlers: SocketHandlers): PushSocket => {
    let socket: WebSocket | undefined;
    let closed = false;
    const origin = new URL(url.replace(/^ws/, 'http')).origin;
    route(origin).then(
      ({ dispatcher }) => {
        if (closed) return;
        socket = new WebSocket(url, { dispatcher });
        socket.addEventListener('open', () => handlers.onOpen());
        socket.addEventListener('message', (event) => {
          if (typeof event.data === 'string') handlers.onMessage(event.data);
        });
        socket.addEventListener('close', (event) => handlers.onClose(event.code));
      },
      () => handlers.onClose(ABNORMAL_CLOSE),
    );
    return {
      close: (code?: number) => {
        closed = true;
        socket?.close(code);
      },
    };
  };
}
