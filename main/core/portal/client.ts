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
import { DEFAULT_TOKEN_URL, type OAuthCredentials, type PortalCredentials } from './credentials';
import { PortalError, kindForCode, type PortalErrorInit } from './errors';
import { DEFAULT_HTTP_LIMITS, createAgent, httpPost, type DispatcherFactory, type HttpBody, type HttpLimits, type HttpReply, type RoutedDispatcher } from './http';
import { DEFAULT_BUCKET, LeakyBucket, type LeakyBucketOptions } from './leaky-bucket';
import { DEFAULT_OPERATING_LIMIT_SEC, OperatingLimiter, type PortalTime } from './operating-limiter';
import { assertSecureOrigin, isLoopbackHost } from './portal-url';
import { BITRIX24_AUTH_HOSTS, parseTokenGrant } from './oauth-token';
import { encodePhpQuery } from './query-string';
import { Redactor } from './redact';

export type PortalLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Receives only redacted text. */
export type PortalLog = (level: PortalLogLevel, message: string) => void;

export interface PortalClientOptions {
  credentials: PortalCredentials;
  clock?: Clock;
  /** Our mirror of the portal's leaky bucket; `false` turns it off (tests of the portal's own limit). */
  bucket?: LeakyBucketOptions | false;
  operatingLimitSec?: number;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A limit wait longer than this is reported as an error with `retryAt` instead of slept through. */
  maxLimitWaitMs?: number;
  http?: Partial<HttpLimits>;
  /** A test agent; otherwise the client owns a pool with the connect timeout. Wins over `dispatcherFactory`. */
  dispatcher?: Dispatcher;
  /** Picks the dispatcher per request's origin (ProxyRouter: system proxy, env, direct); not closed by the client. */
  dispatcherFactory?: DispatcherFactory;
  userAgent?: string;
  log?: PortalLog;
  /** Told every credential the client holds or receives (webhook code, client secret, each token pair), for the app log's redaction. */
  registerSecret?: (secret: string) => void;
  /**
   * The OAuth server named another REST address for this portal (`client_endpoint` in a token
   * response): the client now uses it; store it. A portal's own 3xx is never followed (see
   * #refuseRedirect).
   */
  onDomainChange?: (newOrigin: string) => void;
  /**
   * Auth servers besides Bitrix24's own (oauth.bitrix.info, oauth.bitrix24.tech) that a token
   * response may name as `server_endpoint` (tests: the simulator's), as "host:port".
   */
  trustedAuthHosts?: readonly string[];
  /** For jitter; tests pass a fixed one. */
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * `idempotent`: retry transient failures even if the request may have reached the portal.
   * `safe-only`: retry only failures where it certainly did not. Defaults by method.
   */
  retry?: 'idempotent' | 'safe-only';
}

export interface PortalResponse<T = unknown> {
  result: T;
  time: PortalTime | undefined;
}

export interface BatchCommand {
  method: string;
  params?: Record<string, unknown>;
}

export interface BatchResponse {
  results: Record<string, unknown>;
  errors: Record<string, PortalError>;
  times: Record<string, PortalTime>;
}

/** The portal's own cap on one request (real-portal-notes §3). */
export const MAX_REQUEST_TIMEOUT_MS = 60_000;

/** Bitrix24 refuses commands past the 50th (§4.5). */
export const MAX_BATCH_COMMANDS = 50;

// Reads, and writes whose repetition changes nothing: safe to repeat after an unknown outcome.
const IDEMPOTENT_METHODS = new Set([
  'scope',
  'methods',
  'profile',
  'server.time',
  'im.counters.get',
  'im.notify.get',
  'im.notify.history.search',
  'im.notify.schema.get',
  'im.notify.read',
  'im.notify.read.list',
  'im.notify.read.all',
  // By id: a second delete finds nothing and answers false.
  'im.notify.delete',
]);
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
  #tokenUrl: string;
  readonly #trustedAuthHosts: readonly string[];
  readonly #maxAttempts: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #maxLimitWaitMs: number;
  readonly #userAgent: string;
  readonly #random: () => number;
  #origin: string;
  #refreshing: Promise<void> | undefined;

  constructor(private readonly options: PortalClientOptions) {
    // Our own copy: rotated tokens replace the pair here, never in the caller's object.
    this.#credentials =
      options.credentials.kind === 'oauth'
        ? { ...options.credentials, tokens: { ...options.credentials.tokens } }
        : { ...options.credentials };
    const credentials = this.#credentials;
    this.#trustedAuthHosts = [...BITRIX24_AUTH_HOSTS, ...(options.trustedAuthHosts ?? [])];
    this.#origin = new URL(credentials.origin).origin;
    assertSecureOrigin(new URL(this.#origin), { allowHttp: credentials.allowHttp === true });
    if (credentials.kind === 'webhook') {
      this.#addSecrets(credentials.code);
      this.#tokenUrl = '';
    } else {
      this.#addSecrets(credentials.clientSecret, credentials.tokens.accessToken, credentials.tokens.refreshToken);
      this.#tokenUrl = credentials.tokenUrl ?? DEFAULT_TOKEN_URL;
      assertSecureOrigin(new URL(this.#tokenUrl));
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
    this.#backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.#backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.#maxLimitWaitMs = options.maxLimitWaitMs ?? 30_000;
    this.#userAgent = options.userAgent ?? 'B24Notify';
    this.#random = options.random ?? Math.random;
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
    const response: BatchResponse = { results: {}, errors: {}, times: {} };
    if (entries.length === 0) return response;
    if (entries.length > MAX_BATCH_COMMANDS) {
      throw new PortalError({
        kind: 'invalid-request',
        code: 'ERROR_BATCH_LENGTH_EXCEEDED',
        description: `a batch holds at most ${MAX_BATCH_COMMANDS} commands, got ${entries.length}`,
        delivery: 'not-processed',
      });
    }
    const methodKeys = entries.map(([, command]) => command.method.toLowerCase());
    const cmd = Object.fromEntries(
      entries.map(([key, command]) => {
        const query = command.params ? encodePhpQuery(command.params) : '';
        return [key, query ? `${command.method}?${query}` : command.method];
      }),
    );
    const retry = methodKeys.every((key) => IDEMPOTENT_METHODS.has(key)) ? 'idempotent' : 'safe-only';
    const state: CallState = { refreshed: false };
    const outer = await this.#withRetries('batch', methodKeys, retry, options.signal, () =>
      this.#exchange('batch', { halt: options.halt ? 1 : 0, cmd }, state, options.signal),
    );
    const body = isRecord(outer.result) ? outer.result : {};
    const results = phpMap(body.result);
    const failures = phpMap(body.result_error);
    const times = phpMap(body.result_time);
    entries.forEach(([key], index) => {
      const methodKey = methodKeys[index] ?? '';
      const time = times[key];
      if (isRecord(time)) {
        response.times[key] = time as PortalTime;
        this.#limiter.record(methodKey, time as PortalTime);
      }
      const failure = failures[key];
      if (failure !== undefined) {
        const error = this.#errorFromBody(failure, undefined);
        // A sub-call over its method's operating limit comes back with HTTP 200 inside the batch
        // (real-portal-notes §3); it holds that method until its reset like a plain 429 does.
        response.errors[key] = error.code === 'OPERATION_TIME_LIMIT' ? new PortalError({ ...errorInit(error), retryAt: this.#limiter.block(methodKey) }) : error;
      } else if (key in results) {
        response.results[key] = results[key];
      } else {
        // With `halt`, commands after the first failure never run.
        response.errors[key] = new PortalError({
          kind: 'invalid-request',
          code: 'BATCH_COMMAND_SKIPPED',
          description: 'not run: an earlier command in the batch failed',
          delivery: 'not-processed',
        });
      }
    });
    return response;
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
        const delayMs = this.#retryDelayMs(error, retry, attemptNumber);
        if (delayMs === undefined || attemptNumber >= this.#maxAttempts) {
          this.#log('warn', `${methodKey} failed: ${error.message}`);
          throw error;
        }
        this.#log('info', `${methodKey} attempt ${attemptNumber} failed (${error.code}); retrying in ${delayMs} ms`);
        await this.#clock.sleep(delayMs, signal);
      }
    }
  }

  /** How long to wait before the next attempt, or undefined when this error must not be retried. */
  #retryDelayMs(error: PortalError, retry: 'idempotent' | 'safe-only', attemptNumber: number): number | undefined {
    switch (error.kind) {
      case 'rate-limited': {
        if (error.code !== 'QUERY_LIMIT_EXCEEDED') return undefined; // OVERLOAD_LIMIT is a manual block
        // The portal says its bucket is full: ours must agree, then back off on top.
        this.#bucket?.saturate();
        const drainMs = this.#bucket ? 1000 / this.#bucket.drainPerSec : 0;
        return this.#backoffMs(attemptNumber, Math.max(this.#backoffBaseMs, drainMs));
      }
      case 'operating-limited':
        // The limiter now holds the method until its reset; #waitForOperatingBudget does the waiting.
        return error.retryAt !== undefined && error.retryAt - this.#clock.now() <= this.#maxLimitWaitMs ? 0 : undefined;
      case 'transient':
        // Neither a too-large answer nor a proxy's demand for a password changes within seconds.
        if (error.code === 'RESPONSE_TOO_LARGE' || error.code === 'PROXY_AUTH_REQUIRED') return undefined;
        return retry === 'idempotent' || error.delivery === 'not-processed'
          ? this.#backoffMs(attemptNumber, this.#backoffBaseMs)
          : undefined;
      default:
        return undefined;
    }
  }

  /** Exponential, capped, with ±20% jitter so several clients do not retry in step. */
  #backoffMs(attemptNumber: number, baseMs: number): number {
    const raw = Math.min(this.#backoffMaxMs, baseMs * 2 ** (attemptNumber - 1));
    return Math.max(0, Math.round(raw * (0.8 + 0.4 * this.#random())));
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
        return this.#parseEnvelope(reply);
      } catch (error) {
        if (!(error instanceof PortalError)) throw error;
        if (tokenUsed !== undefined && TOKEN_ERRORS.has(error.code) && !state.refreshed) {
          // Counted once it worked: a renewal that failed for a moment is tried again with the retry.
          await this.#refreshTokens(tokenUsed, signal);
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

  #parseEnvelope(reply: HttpReply): PortalResponse {
    let json: unknown;
    try {
      json = JSON.parse(reply.bodyText);
    } catch {
      throw new PortalError({ kind: 'transient', code: 'INVALID_RESPONSE', status: reply.status, delivery: 'unknown' });
    }
    if (isRecord(json) && json.error !== undefined && json.error !== null && json.error !== '') {
      throw this.#errorFromBody(json, reply.status);
    }
    if (reply.status < 300 && isRecord(json) && 'result' in json) {
      return { result: json.result, time: isRecord(json.time) ? (json.time as PortalTime) : undefined };
    }
    throw new PortalError({ kind: 'transient', code: 'INVALID_RESPONSE', status: reply.status, delivery: 'unknown' });
  }

  /** `{error, error_description}` → PortalError; a portal that refused a request did not act on it. */
  #errorFromBody(body: unknown, status: number | undefined): PortalError {
    const record = isRecord(body) ? body : {};
    // The code is the portal's own text too: a module can echo the webhook code in it.
    const code = typeof record.error === 'string' && record.error ? this.#redactor.redact(record.error.slice(0, 200)) : 'UNKNOWN_ERROR';
    const rawDescription = typeof record.error_description === 'string' ? record.error_description : undefined;
    const description = rawDescription ? this.#redactor.redact(rawDescription) : undefined;
    const kind = kindForCode(code, status, description);
    return new PortalError({ kind, code, description, status, delivery: kind === 'transient' ? 'unknown' : 'not-processed' });
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

  /** Concurrent calls that hit an expired token share one renewal. */
  async #refreshTokens(staleAccessToken: string, signal: AbortSignal | undefined): Promise<void> {
    const credentials = this.#credentials as OAuthCredentials;
    if (credentials.tokens.accessToken !== staleAccessToken) return; // another call already renewed it
    this.#refreshing ??= this.#requestTokens(credentials, signal).finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  async #requestTokens(credentials: OAuthCredentials, signal: AbortSignal | undefined): Promise<void> {
    let reply: HttpReply;
    try {
      reply = await this.#post(
        this.#tokenUrl,
        {
          form: {
            grant_type: 'refresh_token',
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            refresh_token: credentials.tokens.refreshToken,
          },
        },
        signal,
      );
    } catch (error) {
      // The original call was refused before processing, whatever happened to the renewal.
      if (error instanceof PortalError) throw new PortalError({ ...errorInit(error), delivery: 'not-processed' });
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(reply.bodyText);
    } catch {
      json = undefined;
    }
    if (isRecord(json) && typeof json.error === 'string' && json.error) {
      const error = this.#errorFromBody(json, reply.status);
      this.#log('warn', `token renewal refused: ${error.code}`);
      throw new PortalError({ ...errorInit(error), delivery: 'not-processed' });
    }
    const grant = parseTokenGrant(json, this.#clock.now(), this.#trustedAuthHosts);
    if (!grant) throw new PortalError({ kind: 'transient', code: 'INVALID_RESPONSE', status: reply.status, delivery: 'not-processed' });
    const { tokens } = grant;
    this.#addSecrets(tokens.accessToken, tokens.refreshToken);
    credentials.tokens = tokens;
    this.#log('info', 'OAuth tokens renewed');
    await credentials.onTokens({ ...tokens });
    this.#followClientEndpoint(grant.clientEndpoint);
    this.#followAuthServer(grant.tokenUrl, credentials);
  }

  /**
   * The token response names the auth server that answered (`server_endpoint`): renew there next
   * time, as the official SDK does (real-portal-notes §2). Only Bitrix24's own auth hosts count.
   */
  #followAuthServer(tokenUrl: string | undefined, credentials: OAuthCredentials): void {
    if (!tokenUrl || tokenUrl === this.#tokenUrl) return;
    this.#log('info', `the OAuth server is now ${new URL(tokenUrl).host}; tokens are renewed there`);
    this.#tokenUrl = tokenUrl;
    credentials.tokenUrl = tokenUrl;
    credentials.onTokenUrl?.(tokenUrl);
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

function errorInit(error: PortalError): PortalErrorInit {
  return {
    kind: error.kind,
    code: error.code,
    description: error.description,
    status: error.status,
    delivery: error.delivery,
    retryAt: error.retryAt,
    proxy: error.proxy,
    movedTo: error.movedTo,
  };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PHP arrays arrive as `[]` when empty and as objects (or lists) otherwise. */
function phpMap(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  return isRecord(value) ? value : {};
}
