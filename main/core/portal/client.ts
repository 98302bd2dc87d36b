/**
 * The Bitrix24 REST client: one instance per portal account, owning that portal's credentials,
 * leaky bucket, operating-time limiter and connection pool, so several portals never share fate.
 *
 * What it guarantees to its callers (the poller and the confirm service):
 * - every failure is a PortalError whose `kind` says what to do and whose `delivery` says whether
 *   the portal could have acted on the request;
 * - a request that may have reached the portal is retried only for idempotent methods, so a
 *   confirm is never sent twice by this layer;
 * - it never trips the portal's rate limit on its own, and slows down before the operating limit;
 * - no credential ever appears in an error or a log line.
 */
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../clock';
import { DEFAULT_TOKEN_URL, type PortalCredentials } from './credentials';
import { PortalError } from './errors';
import { errorInit, parseEnvelope } from './envelope';
import { IDEMPOTENT_METHODS, MAX_BATCH_COMMANDS, MAX_REQUEST_TIMEOUT_MS, type BatchCommand, type BatchResponse, type CallOptions, type PortalClientOptions, type PortalLogLevel, type PortalResponse } from './client-types';
import { DEFAULT_HTTP_LIMITS, createAgent, httpGet, httpPost, type DispatcherFactory, type HttpBody, type HttpLimits, type HttpReply, type RoutedDispatcher } from './http';
import { DEFAULT_BUCKET, LeakyBucket } from './leaky-bucket';
import { DEFAULT_OPERATING_LIMIT_SEC, OperatingLimiter } from './operating-limiter';
import { assertSecureOrigin, isLoopbackHost } from './portal-url';
import { BITRIX24_AUTH_HOSTS } from './oauth-token';
import { batchCmd, readBatch } from './batch';
import { retryDelayMs, type RetryPolicy } from './retry-policy';
import { TokenRenewal } from './token-renewal';
import { Redactor } from './redact';

/** Avatars are small; anything larger is not one. */
const MAX_IMAGE_BYTES = 256 * 1024;
/** Raster types only: an SVG is a document. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface PortalImage {
  contentType: string;
  bytes: Buffer;
}

export type { BatchCommand, BatchResponse, CallOptions, PortalClientOptions, PortalLog, PortalLogLevel, PortalResponse } from './client-types';
export { MAX_BATCH_COMMANDS, MAX_REQUEST_TIMEOUT_MS } from './client-types';

const TOKEN_ERRORS = new Set(['expired_token', 'invalid_token']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Per-call memory: a call refreshes the token at most once. */
interface CallState {
  refreshed: boolean;
}

export class PortalClient {
  readonly #credentials: PortalCredentials;
  readonly #clock: Clock;
  readonly #bucket: LeakyBucket | undefined;
  readonly #limiter: OperatingLimiter;
  readonly #redactor = new Redactor();
  readonly #httpLimits: HttpLimits;
  /** The pool this client made for itself and closes; none with a given dispatcher or factory. */
  readonly #ownDispatcher: Dispatcher | undefined;
  readonly #route: DispatcherFactory;
  /** OAuth portals only. */
  readonly #renewal: TokenRenewal | undefined;
  readonly #maxAttempts: number;
  readonly #retryPolicy: RetryPolicy;
  readonly #maxLimitWaitMs: number;
  readonly #userAgent: string;
  #origin: string;

  constructor(private readonly options: PortalClientOptions) {
    // Our own copy: rotated tokens replace the pair here, never in the caller's object.
    this.#credentials =
      options.credentials.kind === 'oauth'
        ? { ...options.credentials, tokens: { ...options.credentials.tokens } }
        : { ...options.credentials };
    const credentials = this.#credentials;
    this.#origin = new URL(credentials.origin).origin;
    assertSecureOrigin(new URL(this.#origin), { allowHttp: credentials.allowHttp === true });
    if (credentials.kind === 'webhook') {
      this.#addSecrets(credentials.code);
    } else {
      this.#addSecrets(credentials.clientSecret, credentials.tokens.accessToken, credentials.tokens.refreshToken);
      const tokenUrl = credentials.tokenUrl ?? DEFAULT_TOKEN_URL;
      assertSecureOrigin(new URL(tokenUrl));
      this.#renewal = new TokenRenewal(credentials, tokenUrl, [...BITRIX24_AUTH_HOSTS, ...(options.trustedAuthHosts ?? [])], {
        post: (url, body, signal) => this.#post(url, body, signal),
        redactor: this.#redactor,
        log: (level, message) => this.#log(level, message),
        now: () => this.#clock.now(),
        addSecrets: (...secrets) => this.#addSecrets(...secrets),
        followClientEndpoint: (endpoint) => this.#followClientEndpoint(endpoint),
      });
    }
    this.#clock = options.clock ?? systemClock;
    this.#bucket = options.bucket === false ? undefined : new LeakyBucket(options.bucket ?? DEFAULT_BUCKET, this.#clock);
    this.#limiter = new OperatingLimiter(options.operatingLimitSec ?? DEFAULT_OPERATING_LIMIT_SEC, this.#clock);
    this.#httpLimits = httpLimitsFor(options.http);
    if (options.dispatcher || !options.dispatcherFactory) {
      this.#ownDispatcher = options.dispatcher ? undefined : createAgent(this.#httpLimits);
      const fixed: RoutedDispatcher = { dispatcher: options.dispatcher ?? (this.#ownDispatcher as Dispatcher) };
      this.#route = () => Promise.resolve(fixed);
    } else {
      this.#route = options.dispatcherFactory;
    }
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#maxLimitWaitMs = options.maxLimitWaitMs ?? 30_000;
    this.#retryPolicy = { backoffBaseMs: options.backoffBaseMs ?? 1_000, backoffMaxMs: options.backoffMaxMs ?? 30_000, maxLimitWaitMs: this.#maxLimitWaitMs, random: options.random ?? Math.random };
    this.#userAgent = options.userAgent ?? 'B24Notify';
  }

  /** The portal's current origin (it changes after a domain move). */
  get origin(): string {
    return this.#origin;
  }

  /** 0–1: how close `method` is to its operating-time limit, for pollers that want to slow down. */
  operatingPressure(method: string): number {
    return this.#limiter.pressure(method.toLowerCase());
  }

  /** Masks every credential this client knows in `text`; for callers that log around it. */
  redact(text: string): string {
    return this.#redactor.redact(text);
  }

  async call<T = unknown>(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<PortalResponse<T>> {
    const methodKey = method.toLowerCase();
    const retry = options.retry ?? (IDEMPOTENT_METHODS.has(methodKey) ? 'idempotent' : 'safe-only');
    const state: CallState = { refreshed: false };
    const response = await this.#withRetries(methodKey, [methodKey], retry, options.signal, () =>
      this.#exchange(method, params, state, options.signal),
    );
    this.#limiter.record(methodKey, response.time);
    return response as PortalResponse<T>;
  }

  /**
   * Several calls in one HTTP request (one drop in the portal's bucket). Each command's failure is
   * reported in `errors` under its key; only a failure of the batch request itself throws.
   */
  async batch(
    commands: Record<string, BatchCommand> | BatchCommand[],
    options: { halt?: boolean; signal?: AbortSignal } = {},
  ): Promise<BatchResponse> {
    const entries: [string, BatchCommand][] = Array.isArray(commands)
      ? commands.map((command, index) => [String(index), command])
      : Object.entries(commands);
    if (entries.length === 0) return { results: {}, errors: {}, times: {} };
    if (entries.length > MAX_BATCH_COMMANDS) {
      throw new PortalError({
        kind: 'invalid-request',
        code: 'ERROR_BATCH_LENGTH_EXCEEDED',
        description: `a batch holds at most ${MAX_BATCH_COMMANDS} commands, got ${entries.length}`,
        delivery: 'not-processed',
      });
    }
    const methodKeys = entries.map(([, command]) => command.method.toLowerCase());
    const retry = methodKeys.every((key) => IDEMPOTENT_METHODS.has(key)) ? 'idempotent' : 'safe-only';
    const state: CallState = { refreshed: false };
    const outer = await this.#withRetries('batch', methodKeys, retry, options.signal, () =>
      this.#exchange('batch', { halt: options.halt ? 1 : 0, cmd: batchCmd(entries) }, state, options.signal),
    );
    return readBatch(outer.result, entries, {
      redactor: this.#redactor,
      // A sub-call over its method's operating limit holds that method until its reset like a plain 429.
      record: (methodKey, time) => this.#limiter.record(methodKey, time),
      block: (methodKey) => this.#limiter.block(methodKey),
    });
  }

  /**
   * An image on the portal's own host (an on-premise portal's avatar) through the same route, proxy
   * and trust as REST; no credentials are sent (the portal serves /upload files publicly). Anything
   * but a small raster image is refused: the window shows it as a data: URL.
   */
  async image(url: string, signal?: AbortSignal): Promise<PortalImage> {
    const target = new URL(url, this.#origin);
    if (target.origin !== this.#origin || target.username || target.password) {
      throw new PortalError({ kind: 'invalid-request', code: 'NOT_THE_PORTAL', description: 'only images on the portal’s own address are fetched', delivery: 'not-processed' });
    }
    const route = await this.#route(target.origin);
    const limits = { ...this.#httpLimits, maxResponseBytes: MAX_IMAGE_BYTES };
    const reply = await httpGet(target.href, { dispatcher: route.dispatcher, limits, userAgent: this.#userAgent, ...(signal ? { signal } : {}), ...(route.proxy ? { proxy: route.proxy } : {}) });
    const contentType = reply.contentType.split(';')[0]!.trim().toLowerCase();
    if (reply.status !== 200 || !IMAGE_TYPES.has(contentType)) {
      throw new PortalError({ kind: 'invalid-request', code: 'NOT_AN_IMAGE', description: `HTTP ${reply.status}, ${contentType || 'no type'}`, status: reply.status, delivery: 'not-processed' });
    }
    return { contentType, bytes: reply.body };
  }

  async close(): Promise<void> {
    await this.#ownDispatcher?.close();
  }

  async #withRetries(
    methodKey: string,
    limitedMethods: string[],
    retry: 'idempotent' | 'safe-only',
    signal: AbortSignal | undefined,
    attempt: () => Promise<PortalResponse>,
  ): Promise<PortalResponse> {
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      await this.#waitForOperatingBudget(limitedMethods, signal);
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof PortalError)) throw error;
        const delayMs = retryDelayMs(error, retry, attemptNumber, this.#retryPolicy, { nowMs: this.#clock.now(), bucket: this.#bucket });
        if (delayMs === undefined || attemptNumber >= this.#maxAttempts) {
          this.#log('warn', `${methodKey} failed: ${error.message}`);
          throw error;
        }
        this.#log('info', `${methodKey} attempt ${attemptNumber} failed (${error.code}); retrying in ${delayMs} ms`);
        await this.#clock.sleep(delayMs, signal);
      }
    }
  }

  /** Holds a call back while any of its methods is near or over its operating-time budget. */
  async #waitForOperatingBudget(methods: string[], signal: AbortSignal | undefined): Promise<void> {
    const operatingDelayMs = Math.max(0, ...methods.map((method) => this.#limiter.delayMs(method)));
    if (operatingDelayMs > this.#maxLimitWaitMs) {
      throw new PortalError({
        kind: 'operating-limited',
        code: 'OPERATION_TIME_LIMIT',
        description: 'held back until the method’s operating-time budget frees up',
        delivery: 'not-processed',
        retryAt: this.#clock.now() + operatingDelayMs,
      });
    }
    if (operatingDelayMs > 0) await this.#clock.sleep(operatingDelayMs, signal);
  }

  /** One logical request: renews the OAuth token once if needed; never follows a redirect. */
  async #exchange(
    method: string,
    params: Record<string, unknown>,
    state: CallState,
    signal: AbortSignal | undefined,
  ): Promise<PortalResponse> {
    const methodKey = method.toLowerCase();
    for (;;) {
      const credentials = this.#credentials;
      const tokenUsed = credentials.kind === 'oauth' ? credentials.tokens.accessToken : undefined;
      const url = this.#methodUrl(method);
      const body = tokenUsed === undefined ? params : { ...params, auth: tokenUsed };
      // Every send counts against the portal's bucket, re-sends after a renewal too.
      await this.#bucket?.acquire(signal);
      const startedMs = this.#clock.now();
      const reply = await this.#post(url, { json: body }, signal);
      this.#log('debug', `POST ${url} → HTTP ${reply.status} in ${this.#clock.now() - startedMs} ms`);
      if (REDIRECT_STATUSES.has(reply.status) && reply.location) this.#refuseRedirect(reply.location, url, reply.status);
      try {
        return parseEnvelope(reply, this.#redactor);
      } catch (error) {
        if (!(error instanceof PortalError)) throw error;
        if (tokenUsed !== undefined && TOKEN_ERRORS.has(error.code) && !state.refreshed) {
          // Counted once it worked: a renewal that failed for a moment is tried again with the retry.
          await this.#renewal!.renew(tokenUsed, signal);
          state.refreshed = true;
          continue;
        }
        if (error.code === 'OPERATION_TIME_LIMIT') {
          throw new PortalError({ ...errorInit(error), retryAt: this.#limiter.block(methodKey) });
        }
        throw error;
      }
    }
  }

  #methodUrl(method: string): string {
    const credentials = this.#credentials;
    const path = credentials.kind === 'webhook' ? `rest/${credentials.userId}/${credentials.code}/` : 'rest/';
    return `${this.#origin}/${path}${encodeURIComponent(method)}`;
  }

  async #post(url: string, body: HttpBody, signal: AbortSignal | undefined): Promise<HttpReply> {
    const route = await this.#route(new URL(url).origin);
    return httpPost(url, body, { dispatcher: route.dispatcher, limits: this.#httpLimits, userAgent: this.#userAgent, signal, ...(route.proxy ? { proxy: route.proxy } : {}) });
  }

  /**
   * A 3xx from the portal. Replaying the request would send the webhook code (in the path) or the
   * token (in the body) wherever `Location` points, a lookalike host included, so nothing is
   * re-sent: the call fails as not processed (a confirm stays in the outbox) and the portal stops
   * until the user agrees to the new address. Only an address we would accept when typed in is
   * offered: https, and loopback only when the portal itself is on loopback.
   */
  #refuseRedirect(location: string, requestUrl: string, status: number): never {
    let target: URL | undefined;
    try {
      target = new URL(location, requestUrl);
    } catch {
      target = undefined;
    }
    if (!target || target.origin === this.#origin || target.origin === 'null') {
      throw new PortalError({ kind: 'invalid-request', code: 'UNEXPECTED_REDIRECT', description: 'the portal answered with a redirect instead of a result', status, delivery: 'not-processed' });
    }
    // An address that carries one of our secrets (`https://<code>.evil.example`) is never offered,
    // and is shown masked.
    const movedTo = this.#redactor.redact(target.origin);
    const code = movedTo === target.origin && isAcceptableMove(new URL(this.#origin), target) ? 'PORTAL_MOVED' : 'UNSAFE_REDIRECT';
    this.#log('warn', `the portal answered HTTP ${status} pointing to ${movedTo}; nothing was re-sent (${code})`);
    throw new PortalError({ kind: 'moved', code, status, delivery: 'not-processed', movedTo });
  }

  /**
   * The OAuth server is the authority on where the portal's REST lives (`client_endpoint`, e.g.
   * `https://new.bitrix24.com/rest/`; real-portal-notes §2, b24jssdk oauth/auth.ts): trusted,
   * followed and reported — but still only to an address we would accept when typed in.
   */
  #followClientEndpoint(endpoint: unknown): void {
    if (typeof endpoint !== 'string' || !endpoint) return;
    let target: URL;
    try {
      target = new URL(endpoint);
    } catch {
      return;
    }
    if (target.origin === this.#origin) return;
    if (!isAcceptableMove(new URL(this.#origin), target)) {
      this.#log('warn', `the OAuth server named ${target.origin} as the portal's address; not used (not https, or a local address)`);
      return;
    }
    const previous = this.#origin;
    this.#origin = target.origin;
    this.#log('warn', `the OAuth server moved the portal from ${previous} to ${target.origin}; following`);
    this.options.onDomainChange?.(target.origin);
  }

  #addSecrets(...secrets: string[]): void {
    this.#redactor.add(...secrets);
    for (const secret of secrets) this.options.registerSecret?.(secret);
  }

  #log(level: PortalLogLevel, message: string): void {
    this.options.log?.(level, this.#redactor.redact(message));
  }
}

/** The limits a client uses: the defaults, the caller's, and never past the portal's 60 s cap. */
export function httpLimitsFor(overrides: Partial<HttpLimits> = {}): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...overrides };
  // Bitrix24 cloud ends every request at 60 s (DOCS limits.md): waiting longer only hides a dead one.
  return { ...limits, requestTimeoutMs: Math.min(limits.requestTimeoutMs, MAX_REQUEST_TIMEOUT_MS) };
}

/** https only; a loopback address only when the portal itself is on loopback (the simulator). */
export function isAcceptableMove(from: URL, to: URL): boolean {
  if (to.username || to.password) return false;
  if (isLoopbackHost(to.hostname) !== isLoopbackHost(from.hostname)) return false;
  if (to.protocol === 'https:') return true;
  return to.protocol === 'http:' && from.protocol === 'http:' && isLoopbackHost(to.hostname);
}
