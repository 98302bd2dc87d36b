/**
 * Injected transport faults: a FIFO queue consumed by matching requests, and how each fault kind
 * answers (or refuses to answer) a request before normal handling.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Fault, FaultMatch } from './types';

interface QueuedFault {
  fault: Fault;
  restMethod: string | undefined;
  remaining: number;
}

export class FaultQueue {
  private queue: QueuedFault[] = [];

  inject(fault: Fault, match: FaultMatch = {}): void {
    this.queue.push({ fault, restMethod: match.restMethod?.toLowerCase(), remaining: match.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  /** The first fault whose match accepts this request, consuming one use of it. */
  take(restMethod: string): Fault | undefined {
    const entry = this.queue.find((item) => item.restMethod === undefined || item.restMethod === restMethod);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(this.queue.indexOf(entry), 1);
    return entry.fault;
  }
}

/** Real timers that close() can cancel, so a pending delay never keeps the process alive. */
export class Sleeper {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Resolves true after ms, or false when cancelled. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  cancelAll(): void {
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}

function nginxErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const lines = [
    '<html>',
    `<head><title>${title}</title></head>`,
    '<body>',
    `<center><h1>${title}</h1></center>`,
    '<hr><center>nginx</center>',
    '</body>',
    '</html>',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const HUGE_BODY_PREFIX = '{"result":"';
const HUGE_BODY_SUFFIX = '"}';
const HUGE_BODY_CHUNK_BYTES = 1 << 20;

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeHugeBody(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': String(bytes) });
  const prefix = HUGE_BODY_PREFIX.slice(0, bytes);
  const suffix = HUGE_BODY_SUFFIX.slice(0, Math.max(0, bytes - prefix.length));
  res.write(prefix);
  let fillerBytes = bytes - prefix.length - suffix.length;
  while (fillerBytes > 0 && !res.destroyed) {
    const chunkBytes = Math.min(fillerBytes, HUGE_BODY_CHUNK_BYTES);
    fillerBytes -= chunkBytes;
    if (!res.write('x'.repeat(chunkBytes))) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end(suffix);
}

export type FaultOutcome =
  /** The fault answered (or dropped) the request; status 0 for a drop. */
  | { handled: true; status: number; error?: string }
  /** Carry on with normal handling; loseResponse: process, then drop the connection instead of answering. */
  | { handled: false; loseResponse?: boolean };

export interface FaultEffects {
  sleeper: Sleeper;
  expireAccessTokens(): void;
  /** Headers every REST JSON response carries (content type, CORS). */
  jsonHeaders: Record<string, string>;
}

export async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  effects: FaultEffects,
): Promise<FaultOutcome> {
  switch (fault.kind) {
    case 'delay': {
      const elapsed = await effects.sleeper.sleep(fault.ms);
      return elapsed ? { handled: false } : { handled: true, status: 0 };
    }
    case 'expire-token':
      effects.expireAccessTokens();
      return { handled: false };
    case 'lose-response':
      return { handled: false, loseResponse: true };
    case 'drop':
      req.socket.destroy();
      return { handled: true, status: 0 };
    case 'status':
      res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'text/plain; charset=utf-8' });
      res.end(fault.body ?? '');
      return { handled: true, status: fault.status };
    case 'html': {
      const status = fault.status ?? 502;
      res.writeHead(status, { 'Content-Type': 'text/html' });
      res.end(nginxErrorPage(status));
      return { handled: true, status };
    }
    case 'malformed-json':
      res.writeHead(200, effects.jsonHeaders);
      res.end('{"result":{"notifications":[{"id":1,"chat_id":');
      return { handled: true, status: 200 };
    case 'error':
      res.writeHead(fault.status, effects.jsonHeaders);
      res.end(JSON.stringify({ error: fault.code, error_description: fault.description ?? '' }));
      return { handled: true, status: fault.status, error: fault.code };
    case 'redirect': {
      const status = fault.status ?? 302;
      res.writeHead(status, { Location: fault.location });
      res.end();
      return { handled: true, status };
    }
    case 'huge-body':
      await writeHugeBody(res, fault.bytes);
      return { handled: true, status: 200 };
  }
}
