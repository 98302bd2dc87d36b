/**
 * The HTTP front: routing (/rest/…, /oauth/token/, /upload/…, /_sim/…), parameter merging,
 * faults, the leaky bucket, authentication and the response envelope (§4.2, §4.4, §7).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { authenticate, OAUTH_PARAM_NAMES, oauthTokenOf, parseRestRoute } from './auth';
import { batchCommandsSent } from './batch';
import type { SimContext } from './context';
import { handleControl, type ControlApi } from './control';
import { ERROR_TEXT, RestError, methodNotFound } from './errors';
import { applyFault } from './faults';
import { encodeBitrixJson } from './json';
import { mergeRequestParams } from './params';
import { executeRestCall, findMethod } from './rest-call';
import type { RequestLogEntry } from './types';
import { AVATAR_PNG } from './users';

/** Headers of every REST JSON answer (CRestUtil::sendHeaders + the JSON transport). */
const JSON_HEADERS: Record<string, string> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'origin, content-type, accept',
  'X-Content-Type-Options': 'nosniff',
};

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    req.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(receivedBytes <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : null));
    req.on('error', () => resolve(null));
  });
}

function withoutKeys(params: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !names.includes(name)));
}

interface Exchange {
  sim: SimContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: string;
  entry: RequestLogEntry;
  /** Set by a lose-response fault: the request is processed but never answered. */
  loseResponse: boolean;
}

/** Answers a portal request (or, after a lose-response fault, drops the connection instead). */
function reply(exchange: Exchange, status: number, body: string, headers: Record<string, string>, error?: string): void {
  if (exchange.loseResponse) {
    exchange.req.socket.destroy();
    return;
  }
  exchange.entry.status = status;
  if (error) exchange.entry.error = error;
  send(exchange.res, status, body, headers);
}

function sendRestError(exchange: Exchange, error: RestError): void {
  reply(exchange, error.status, encodeBitrixJson(error.toBody()), JSON_HEADERS, error.code);
}

/** Applies the first matching injected fault; true when it already answered the request. */
async function faultAnswered(exchange: Exchange, restMethod: string): Promise<boolean> {
  const { sim, req, res, entry } = exchange;
  const fault = sim.faults.take(restMethod);
  if (!fault) return false;
  entry.fault = fault.kind;
  const outcome = await applyFault(fault, req, res, {
    sleeper: sim.sleeper,
    expireAccessTokens: () => sim.tokens.expireAccessTokens(),
    jsonHeaders: JSON_HEADERS,
  });
  if (!outcome.handled) {
    exchange.loseResponse = outcome.loseResponse === true;
    return false;
  }
  entry.status = outcome.status;
  if (outcome.error) entry.error = outcome.error;
  return true;
}

function paramsOf(exchange: Exchange): Record<string, unknown> {
  const { req, url, body } = exchange;
  return mergeRequestParams(url.search.slice(1), req.method ?? 'GET', req.headers['content-type'], body);
}

async function handleRest(exchange: Exchange): Promise<void> {
  const { sim, req, url, entry } = exchange;
  const startMs = sim.now();
  const route = parseRestRoute(url.pathname);
  const params = paramsOf(exchange);
  const oauthToken = route.kind === 'oauth' ? oauthTokenOf(params, req.headers.authorization) : '';
  const handlerParams = route.kind === 'oauth' ? withoutKeys(params, OAUTH_PARAM_NAMES) : params;
  entry.restMethod = route.method;
  entry.params = handlerParams;
  entry.auth = route.kind === 'webhook' ? 'webhook' : oauthToken ? 'oauth' : 'none';
  if (route.method === 'batch') entry.batchCommands = batchCommandsSent(handlerParams);

  if (await faultAnswered(exchange, route.method)) return;
  // The rate limiter sits in front of the portal: every request counts, whatever it asks for.
  if (!sim.bucket.tryAdd()) {
    sim.stats.queryLimitRejections += 1;
    sendRestError(exchange, new RestError('QUERY_LIMIT_EXCEEDED', ERROR_TEXT.QUERY_LIMIT_EXCEEDED, 503));
    return;
  }
  sim.stats.maxBucketLevel = sim.bucket.maxLevel;
  // CRestServer looks the method up before it checks authentication.
  const definition = findMethod(route.method);
  if (!definition) {
    sendRestError(exchange, methodNotFound());
    return;
  }
  const secure = (req.socket as Partial<TLSSocket>).encrypted === true;
  const auth = authenticate(sim, route, oauthToken, secure, definition);
  if (auth instanceof RestError) {
    sendRestError(exchange, auth);
    return;
  }
  const outcome = executeRestCall(sim, route.method, handlerParams, auth, startMs, true);
  if (!outcome.ok) {
    sendRestError(exchange, outcome.error);
    return;
  }
  reply(exchange, 200, encodeBitrixJson({ result: outcome.result, time: outcome.time }), JSON_HEADERS);
}

async function handleToken(exchange: Exchange): Promise<void> {
  const { sim, entry } = exchange;
  const params = paramsOf(exchange);
  entry.restMethod = 'oauth.token';
  entry.params = params;
  if (await faultAnswered(exchange, 'oauth.token')) return;
  const outcome = sim.tokens.exchange(params, {
    scope: sim.knobs.scopes.join(','),
    clientEndpoint: sim.knobs.clientEndpoint ?? sim.urls.restUrl,
    // The simulator is its own authorization server, unless a separate auth host is running.
    serverEndpoint: sim.urls.authOrigin ? `${sim.urls.authOrigin}/rest/` : sim.urls.restUrl,
    domain: new URL(sim.urls.origin).host,
    memberId: sim.memberId,
  });
  sim.tokenLog.push({
    grantType: outcome.grantType,
    at: sim.now(),
    ok: outcome.status === 200,
    ...(outcome.error ? { error: outcome.error } : {}),
  });
  reply(exchange, outcome.status, JSON.stringify(outcome.body), { 'Content-Type': 'application/json; charset=utf-8' }, outcome.error);
}

/**
 * GET /oauth/authorize/ (§4.3 step 1): on a real portal the user signs in and approves the app;
 * the simulator approves at once and redirects to the app's redirect_uri with a 30-second code,
 * state, domain, member_id, scope and server_domain.
 */
function handleAuthorize(exchange: Exchange): void {
  const { sim, entry, url } = exchange;
  entry.restMethod = 'oauth.authorize';
  const clientId = url.searchParams.get('client_id') ?? '';
  const redirectUri = url.searchParams.get('redirect_uri') ?? '';
  let target: URL | undefined;
  try {
    target = new URL(redirectUri);
  } catch {
    target = undefined;
  }
  // The portal sends the answer to the handler registered on the application, whatever was sent.
  const registered = sim.tokens.config.registeredHandlerUrl;
  if (registered) target = new URL(registered);
  if (sim.knobs.signInRefused) {
    entry.status = 403;
    send(exchange.res, 403, '<html><body><h1>Access denied</h1><p>The application was not approved.</p></body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
    return;
  }
  if (clientId !== sim.tokens.config.clientId || !target) {
    entry.status = 400;
    send(exchange.res, 400, '<html><body><h1>Application not found or redirect_uri missing</h1></body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
    return;
  }
  const origin = new URL(sim.urls.origin);
  target.searchParams.set('code', sim.tokens.createAuthCode());
  target.searchParams.set('state', url.searchParams.get('state') ?? '');
  target.searchParams.set('domain', origin.host);
  target.searchParams.set('member_id', sim.memberId);
  target.searchParams.set('scope', sim.knobs.scopes.join(','));
  target.searchParams.set('server_domain', origin.host);
  entry.status = 302;
  send(exchange.res, 302, '', { Location: target.href });
}

async function route(exchange: Exchange): Promise<void> {
  const { pathname } = exchange.url;
  if (pathname === '/oauth/token' || pathname === '/oauth/token/') return handleToken(exchange);
  if (pathname === '/oauth/authorize' || pathname === '/oauth/authorize/') return handleAuthorize(exchange);
  if (pathname.startsWith('/rest/')) return handleRest(exchange);
  if (pathname.startsWith('/upload/')) {
    exchange.entry.status = 200;
    send(exchange.res, 200, AVATAR_PNG, { 'Content-Type': 'image/png' });
    return;
  }
  exchange.entry.status = 404;
  send(exchange.res, 404, '<html><body><h1>404 Not Found</h1></body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
}

export function createRequestHandler(sim: SimContext, control: ControlApi): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://portal-sim.invalid');
      const body = await readBody(req);
      if (url.pathname.startsWith('/_sim/')) {
        handleControl(control, req.method ?? 'GET', url.pathname, body ?? '', res);
        return;
      }
      const entry: RequestLogEntry = {
        at: sim.now(),
        httpMethod: req.method ?? 'GET',
        host: `${req.socket.localAddress ?? ''}:${req.socket.localPort ?? 0}`,
        path: url.pathname,
        restMethod: '',
        auth: 'none',
        status: 0,
        params: {},
      };
      sim.requestLog.push(entry);
      if (body === null) {
        entry.status = 413;
        send(res, 413, 'Request Entity Too Large', { 'Content-Type': 'text/plain' });
        return;
      }
      await route({ sim, req, res, url, body, entry, loseResponse: false });
    })().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        send(res, 500, encodeBitrixJson({ error: 'INTERNAL_SERVER_ERROR', error_description: String(error) }), JSON_HEADERS);
      }
    });
  };
}
