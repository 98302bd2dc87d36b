/**
 * One HTTP exchange with a portal on undici: JSON or form POST, a connect timeout and a timeout
 * on the whole exchange, a cap on the body size, and network failures sorted by whether the
 * request could have reached the portal. No retries and no Bitrix24 semantics here.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { PortalError } from './errors';

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

export function createAgent(limits: HttpLimits): Agent {
  return new Agent({
    connect: { timeout: limits.connectTimeoutMs },
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
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
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

export async function httpPost(
  url: string,
  body: HttpBody,
  options: { dispatcher: Dispatcher; limits: HttpLimits; userAgent: string; signal?: AbortSignal },
): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(options.limits.requestTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const isJson = 'json' in body;
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: options.dispatcher,
      signal,
      headers: {
        'content-type': isJson ? 'application/json' : 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': options.userAgent,
      },
      body: isJson ? JSON.stringify(body.json) : new URLSearchParams(body.form).toString(),
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
      bodyText: Buffer.concat(chunks).toString('utf8'),
    };
  } catch (error) {
    if (error instanceof PortalError) throw error;
    // The caller cancelled: not a portal failure, pass the reason on untouched.
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted || errorCode(error) === 'UND_ERR_HEADERS_TIMEOUT' || errorCode(error) === 'UND_ERR_BODY_TIMEOUT') {
      throw new PortalError({ kind: 'transient', code: 'TIMEOUT', delivery: 'unknown' });
    }
    const code = errorCode(error);
    throw new PortalError({
      kind: 'transient',
      code: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'TIMEOUT' : 'NETWORK_ERROR',
      description: code ? `network error ${code}` : 'network error',
      delivery: code && NOT_SENT_CODES.has(code) ? 'not-processed' : 'unknown',
    });
  }
}

function tooLarge(status: number): PortalError {
  return new PortalError({ kind: 'transient', code: 'RESPONSE_TOO_LARGE', status, delivery: 'unknown' });
}
