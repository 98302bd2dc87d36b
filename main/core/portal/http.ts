/**
 * One HTTP exchange with a portal on undici: JSON or form POST, a connect timeout and a timeout
 * on the whole exchange, a cap on the body size, and network failures sorted by whether the
 * request could have reached the portal. No retries and no Bitrix24 semantics here.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { PortalError } from './errors';
import { certificateIssuer, defaultTrustedCa, UNTRUSTED_CERTIFICATE_CODES } from './trust';

export interface HttpLimits {
  connectTimeoutMs: number;
  /** The whole exchange, from connect to the last body byte. */
  requestTimeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  connectTimeoutMs: 10_000,
  // Bitrix24 cloud cuts a request at 60 s; the official JS SDK waits 30 s.
  requestTimeoutMs: 30_000,
  maxResponseBytes: 5 * 1024 * 1024,
};

export interface HttpReply {
  status: number;
  location: string | undefined;
  contentType: string;
  bodyText: string;
}

export type HttpBody = { json: unknown } | { form: Record<string, string> };

/** The dispatcher for one request, and the proxy it goes through (host:port, for messages). */
export interface RoutedDispatcher {
  dispatcher: Dispatcher;
  proxy?: string;
}

/** Picks the dispatcher per origin (e.g. through the system proxy); the caller never closes it. */
export type DispatcherFactory = (origin: string) => Promise<RoutedDispatcher>;

export function createAgent(limits: HttpLimits): Agent {
  const ca = defaultTrustedCa();
  return new Agent({
    // The system's certificate store too, where this Node can read it (portal/trust.ts).
    connect: { timeout: limits.connectTimeoutMs, ...(ca ? { ca } : {}) },
    headersTimeout: limits.requestTimeoutMs,
    bodyTimeout: limits.requestTimeoutMs,
  });
}

// Failures that happen before a single byte of the request left this machine.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  ...UNTRUSTED_CERTIFICATE_CODES,
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps socket errors: the useful code can sit one or two `cause`s deep.
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface HttpOptions {
  dispatcher: Dispatcher;
  limits: HttpLimits;
  userAgent: string;
  signal?: AbortSignal;
  proxy?: string;
}

export async function httpPost(url: string, body: HttpBody, options: HttpOptions): Promise<HttpReply> {
  const isJson = 'json' in body;
  const reply = await httpExchange(url, {
    method: 'POST',
    headers: { 'content-type': isJson ? 'application/json' : 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: isJson ? JSON.stringify(body.json) : new URLSearchParams(body.form).toString(),
  }, options);
  return { status: reply.status, location: reply.location, contentType: reply.contentType, bodyText: reply.body.toString('utf8') };
}

/** A plain GET of a small public file (an avatar on an on-premise portal): bytes, no credentials. */
export async function httpGet(url: string, options: HttpOptions): Promise<{ status: number; contentType: string; body: Buffer }> {
  const reply = await httpExchange(url, { method: 'GET', headers: { accept: 'image/*' } }, options);
  return { status: reply.status, contentType: reply.contentType, body: reply.body };
}

async function httpExchange(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  options: HttpOptions,
): Promise<{ status: number; location: string | undefined; contentType: string; body: Buffer }> {
  const timeout = AbortSignal.timeout(options.limits.requestTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await request(url, {
      method: init.method,
      dispatcher: options.dispatcher,
      signal,
      headers: { ...init.headers, 'user-agent': options.userAgent },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const declaredLength = Number(response.headers['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > options.limits.maxResponseBytes) {
      response.body.destroy();
      throw tooLarge(response.statusCode);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      received += buffer.length;
      if (received > options.limits.maxResponseBytes) {
        response.body.destroy();
        throw tooLarge(response.statusCode);
      }
      chunks.push(buffer);
    }
    const location = response.headers.location;
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      location: Array.isArray(location) ? location[0] : location,
      contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? '',
      body: Buffer.concat(chunks),
    };
  } catch (error) {
    if (error instanceof PortalError) throw error;
    // The caller cancelled: not a portal failure, pass the reason on untouched.
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted || errorCode(error) === 'UND_ERR_HEADERS_TIMEOUT' || errorCode(error) === 'UND_ERR_BODY_TIMEOUT') {
      throw new PortalError({ kind: 'transient', code: 'TIMEOUT', delivery: 'unknown' });
    }
    const tunnelStatus = options.proxy === undefined ? undefined : proxyTunnelStatus(error);
    if (tunnelStatus !== undefined) {
      // The proxy refused the tunnel: not a byte reached the portal.
      throw new PortalError({
        kind: 'transient',
        code: tunnelStatus === 407 ? 'PROXY_AUTH_REQUIRED' : 'PROXY_REFUSED',
        description: `the proxy at ${options.proxy} answered ${tunnelStatus} to CONNECT`,
        status: tunnelStatus,
        delivery: 'not-processed',
        proxy: options.proxy,
      });
    }
    const code = errorCode(error);
    if (code && UNTRUSTED_CERTIFICATE_CODES.has(code)) {
      // Not "cannot reach": this computer does not trust the certificate. Through a proxy the
      // issuer cannot be read directly; the host alone still says what to fix.
      const target = new URL(url);
      const issuer = options.proxy ? undefined : await certificateIssuer(target.hostname, Number(target.port || 443));
      throw new PortalError({
        kind: 'certificate',
        code,
        description: `TLS: ${code}`,
        delivery: 'not-processed',
        certificate: { host: target.host, ...(issuer ? { issuer } : {}) },
        ...(options.proxy ? { proxy: options.proxy } : {}),
      });
    }
    throw new PortalError({
      kind: 'transient',
      code: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'TIMEOUT' : 'NETWORK_ERROR',
      description: `${code ? `network error ${code}` : 'network error'}${options.proxy ? ` (through the proxy at ${options.proxy})` : ''}`,
      delivery: code && NOT_SENT_CODES.has(code) ? 'not-processed' : 'unknown',
      ...(options.proxy ? { proxy: options.proxy } : {}),
    });
  }
}

/**
 * undici 7's ProxyAgent reports a refused CONNECT only in words: a RequestAbortedError
 * "Proxy response (407) !== 200 when HTTP Tunneling" (the `cause` chain is walked in case a layer wraps it).
 */
function proxyTunnelStatus(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const match = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(current.message);
    if (match) return Number(match[1]);
    current = current.cause;
  }
  return undefined;
}

function tooLarge(status: number): PortalError {
  return new PortalError({ kind: 'transient', code: 'RESPONSE_TOO_LARGE', status, delivery: 'unknown' });
}
