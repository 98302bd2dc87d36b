/**
 * The REST client's public shapes: options, responses, batch commands, and the methods safe to
 * repeat after an unknown outcome.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock';
import type { PortalCredentials } from './credentials';
import type { PortalError } from './errors';
import type { DispatcherFactory, HttpLimits } from './http';
import type { LeakyBucketOptions } from './leaky-bucket';
import type { PortalTime } from './operating-limiter';

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
export const IDEMPOTENT_METHODS = new Set([
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
