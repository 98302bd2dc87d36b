/**
 * Which way a request to a portal goes: straight, or through an HTTP(S) proxy. undici reads no OS
 * proxy settings, so the shell hands us the system's answer (Electron's `session.resolveProxy`,
 * which applies system settings and PAC scripts); `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` come next,
 * then a direct connection.
 *
 * Rules, in order:
 * 1. Loopback (127.0.0.0/8, ::1, localhost) is never proxied.
 * 2. The system's answer, read as a PAC result ("PROXY h:p; DIRECT"): its first entry we can use
 *    wins. SOCKS entries are skipped with a warning (undici's SOCKS5 support is experimental).
 * 3. When the system says DIRECT or gives nothing usable: the environment, with undici's
 *    EnvHttpProxyAgent semantics (lower-case names first, NO_PROXY host and domain suffixes).
 * 4. Direct.
 *
 * Decisions are cached per origin for `maxAgeMs` (Electron has no proxy-change event) and
 * forgotten at once by `refresh()` (resume, unlock). Proxy credentials never leave the proxy URL
 * given to undici: decisions, errors and log lines name the proxy by host:port only.
 */
import { Agent, ProxyAgent, type Dispatcher, type buildConnector } from 'undici';
import { DEFAULT_HTTP_LIMITS, type DispatcherFactory, type HttpLimits, type RoutedDispatcher } from './http';
import { isLoopbackHost } from './portal-url';
import { defaultTrustedCa } from './trust';

export type PacEntry =
  | { type: 'direct' }
  /** `PROXY h:p` is a plain HTTP proxy, `HTTPS h:p` one spoken to over TLS. */
  | { type: 'http' | 'https'; host: string; port: number }
  /** SOCKS, SOCKS4, SOCKS5, QUIC and anything else we do not route through. */
  | { type: 'unsupported'; scheme: string; address: string };

const PAC_DEFAULT_PORTS: Record<string, number> = { PROXY: 80, HTTPS: 443 };

/** Reads Chromium's proxy list: entries separated by ';', each `DIRECT` or `SCHEME host[:port]`. */
export function parsePacResult(result: string): PacEntry[] {
  const entries: PacEntry[] = [];
  for (const raw of result.split(';')) {
    const [schemeText, address = ''] = raw.trim().split(/\s+/, 2);
    const scheme = (schemeText ?? '').toUpperCase();
    if (!scheme) continue;
    if (scheme === 'DIRECT') {
      entries.push({ type: 'direct' });
      continue;
    }
    const defaultPort = PAC_DEFAULT_PORTS[scheme];
    const hostPort = defaultPort === undefined ? undefined : parseHostPort(address, defaultPort);
    if (hostPort) entries.push({ type: scheme === 'HTTPS' ? 'https' : 'http', ...hostPort });
    else entries.push({ type: 'unsupported', scheme, address });
  }
  return entries;
}

function parseHostPort(text: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^\s:[\]/]+)(?::(\d{1,5}))?$/i.exec(text);
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  return port > 0 && port < 65536 ? { host: match[1].toLowerCase(), port } : undefined;
}

export type ProxyDecision =
  | { via: 'direct'; source: 'loopback' | 'system' | 'env' | 'none' }
  | {
      via: 'proxy';
      source: 'system' | 'env';
      /** For undici only: may carry `user:password@`. Never log or show it. */
      proxyUrl: string;
      /** `host:port`, safe to show. */
      address: string;
    };

export type ProxyEnv = Record<string, string | undefined>;

interface EnvProxy {
  url: URL | undefined;
  excluded: boolean;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The environment's proxy for `origin`, as undici's EnvHttpProxyAgent would pick it. */
function envProxyFor(origin: URL, env: ProxyEnv, warnings: string[]): EnvProxy {
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const raw = origin.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy) : httpProxy;
  const url = raw ? parseProxyUrl(raw, warnings) : undefined;
  return { url, excluded: url !== undefined && isExcludedByNoProxy(origin, env.no_proxy ?? env.NO_PROXY ?? '') };
}

function parseProxyUrl(raw: string, warnings: string[]): URL | undefined {
  const text = raw.trim();
  let url: URL;
  try {
    // "proxy.corp:3128" is common in the wild; curl and undici read it as http.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    warnings.push('the proxy in HTTPS_PROXY/HTTP_PROXY is not a valid address; ignored');
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    warnings.push(`${url.protocol.replace(':', '').toUpperCase()} proxy at ${addressOf(url)} from the environment is not supported; ignored`);
    return undefined;
  }
  return url;
}

/** NO_PROXY: `*`, or comma/space separated hosts, each matching itself and its subdomains, with an optional port. */
function isExcludedByNoProxy(origin: URL, noProxy: string): boolean {
  const value = noProxy.trim();
  if (value === '*') return true;
  const hostname = origin.hostname.toLowerCase();
  const port = Number(origin.port) || DEFAULT_PORTS[origin.protocol] || 0;
  return value
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      const match = /^(.+):(\d+)$/.exec(entry);
      const entryHost = (match?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase();
      if (match && Number(match[2]) !== port) return false;
      return hostname === entryHost || hostname.endsWith(`.${entryHost}`);
    });
}

function addressOf(url: URL): string {
  return `${url.hostname}:${url.port || DEFAULT_PORTS[url.protocol] || ''}`;
}

/**
 * The whole rule for one origin, given the system's answer (undefined: none asked or it failed).
 * `warnings` collects what the user may want to know (skipped SOCKS, bad variables).
 */
export function decideProxy(origin: URL, systemResult: string | undefined, env: ProxyEnv, warnings: string[] = []): ProxyDecision {
  if (isLoopbackHost(origin.hostname)) return { via: 'direct', source: 'loopback' };
  const envProxy = envProxyFor(origin, env, warnings);
  if (systemResult !== undefined) {
    const entries = parsePacResult(systemResult);
    for (const entry of entries) {
      if (entry.type === 'unsupported') {
        warnings.push(`the system's ${entry.scheme} proxy${entry.address ? ` at ${entry.address}` : ''} is not supported; skipped`);
        continue;
      }
      if (entry.type === 'direct') break;
      const url = new URL(`${entry.type}://${entry.host}:${entry.port}`);
      // The system hands out no passwords; HTTPS_PROXY naming the same proxy may carry them.
      if (envProxy.url && addressOf(envProxy.url) === addressOf(url) && envProxy.url.username) {
        url.username = envProxy.url.username;
        url.password = envProxy.url.password;
      }
      return { via: 'proxy', source: 'system', proxyUrl: url.href, address: addressOf(url) };
    }
  }
  if (envProxy.url && !envProxy.excluded) {
    return { via: 'proxy', source: 'env', proxyUrl: envProxy.url.href, address: addressOf(envProxy.url) };
  }
  if (envProxy.excluded) return { via: 'direct', source: 'env' };
  return { via: 'direct', source: systemResult === undefined ? 'none' : 'system' };
}

export function describeDecision(decision: ProxyDecision): string {
  if (decision.via === 'proxy') return `through the proxy at ${decision.address} (${decision.source === 'system' ? 'system settings' : 'environment'})`;
  const why = { loopback: 'loopback', system: 'system settings', env: 'NO_PROXY', none: 'no proxy configured' }[decision.source];
  return `direct (${why})`;
}

export interface ProxyRouterOptions {
  /** The system's proxy for a URL, in PAC form; Electron's `session.resolveProxy`. */
  resolveProxy?: (url: string) => Promise<string>;
  /** Default `process.env`, read at every decision so a changed variable counts after `refresh()`. */
  env?: ProxyEnv;
  http?: Partial<HttpLimits>;
  /** TLS and socket options for the connection to the portal (tests: their CA, a fixed DNS answer). */
  connect?: buildConnector.BuildOptions;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** How long a decision stands without a `refresh()`. */
  maxAgeMs?: number;
  now?: () => number;
}

interface CachedDecision {
  decision: Promise<ProxyDecision>;
  decidedAtMs: number;
}

/** Proxy decisions and the undici dispatchers that carry them out, shared by every PortalClient. */
export class ProxyRouter {
  readonly #options: ProxyRouterOptions;
  readonly #limits: HttpLimits;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #decisions = new Map<string, CachedDecision>();
  /** The last decision logged per origin, so only changes are logged. */
  readonly #described = new Map<string, string>();
  /** One dispatcher per route ('direct' or a proxy URL), so connections are pooled across portals. */
  readonly #dispatchers = new Map<string, Dispatcher>();
  readonly #routeListeners = new Set<(origin: string) => void>();

  constructor(options: ProxyRouterOptions = {}) {
    this.#options = options;
    this.#limits = { ...DEFAULT_HTTP_LIMITS, ...options.http };
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** For PortalClient's `dispatcherFactory`. */
  readonly dispatcherFactory: DispatcherFactory = async (origin: string): Promise<RoutedDispatcher> => {
    const decision = await this.decisionFor(origin);
    if (decision.via === 'direct') return { dispatcher: this.#dispatcher('direct', () => this.#directAgent()) };
    return { dispatcher: this.#dispatcher(decision.proxyUrl, () => this.#proxyAgent(decision.proxyUrl)), proxy: decision.address };
  };

  decisionFor(origin: string): Promise<ProxyDecision> {
    const key = new URL(origin).origin;
    const cached = this.#decisions.get(key);
    if (cached && this.#now() - cached.decidedAtMs < this.#maxAgeMs) return cached.decision;
    const decision = this.#decide(key);
    this.#decisions.set(key, { decision, decidedAtMs: this.#now() });
    return decision;
  }

  /**
   * Told when the route to an origin changes (a proxy appeared, went or moved): a long-lived
   * connection on the old route (the portal's push socket) must be opened again on the new one.
   */
  onRouteChange(listener: (origin: string) => void): () => void {
    this.#routeListeners.add(listener);
    return () => void this.#routeListeners.delete(listener);
  }

  /** Forget every decision (the network or its settings may have changed); connections stay pooled. */
  refresh(): void {
    this.#decisions.clear();
  }

  async close(): Promise<void> {
    const dispatchers = [...this.#dispatchers.values()];
    this.#dispatchers.clear();
    this.#decisions.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  }

  async #decide(origin: string): Promise<ProxyDecision> {
    const url = new URL(origin);
    const warnings: string[] = [];
    let systemResult: string | undefined;
    if (this.#options.resolveProxy && !isLoopbackHost(url.hostname)) {
      try {
        systemResult = await this.#options.resolveProxy(`${origin}/`);
      } catch (error) {
        warnings.push(`the system proxy could not be read (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    const decision = decideProxy(url, systemResult, this.#options.env ?? process.env, warnings);
    const description = describeDecision(decision);
    const previous = this.#described.get(origin);
    if (previous !== description) {
      this.#described.set(origin, description);
      for (const warning of warnings) this.#options.log?.('warn', `proxy for ${origin}: ${warning}`);
      this.#options.log?.('info', `requests to ${origin} go ${description}`);
      if (previous !== undefined) for (const listener of this.#routeListeners) listener(origin);
    }
    return decision;
  }

  #dispatcher(key: string, create: () => Dispatcher): Dispatcher {
    let dispatcher = this.#dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = create();
      this.#dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  /** The system's certificate store too (portal/trust.ts), unless the caller chose its own CAs. */
  #tls(): buildConnector.BuildOptions {
    const ca = defaultTrustedCa();
    return { ...(ca ? { ca } : {}), ...this.#options.connect, timeout: this.#limits.connectTimeoutMs };
  }

  #directAgent(): Agent {
    return new Agent({
      connect: this.#tls(),
      headersTimeout: this.#limits.requestTimeoutMs,
      bodyTimeout: this.#limits.requestTimeoutMs,
    });
  }

  #proxyAgent(proxyUrl: string): ProxyAgent {
    return new ProxyAgent({
      uri: proxyUrl,
      // The TLS session to the portal runs inside the tunnel; the proxy itself only sees CONNECT.
      requestTls: this.#tls(),
      proxyTls: { timeout: this.#limits.connectTimeoutMs },
      headersTimeout: this.#limits.requestTimeoutMs,
      bodyTimeout: this.#limits.requestTimeoutMs,
    });
  }
}
