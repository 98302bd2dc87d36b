/**
 * REST authentication (§4.1, §7 "Endpoints and auth") in MOD's order of checks:
 * webhook (APAuth\Auth): https → credentials → scope → plan;
 * OAuth (OAuth\Auth): token known → plan → expiry → scope.
 */
import type { AuthContext, MethodDefinition } from './call';
import type { SimContext } from './context';
import { ERROR_TEXT, RestError } from './errors';
import { phpIsArray, phpString } from './php';
import { scopeError } from './rest-call';

export type RestRoute =
  | { kind: 'webhook'; login: string; code: string; method: string }
  | { kind: 'oauth'; method: string };

/** Query/body names that carry an OAuth token; they are removed before the handler runs. */
export const OAUTH_PARAM_NAMES = ['auth', 'access_token'];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `/rest/{user}/{code}/{method}[.json]` or `/rest/{method}[.json]`; method names are case-insensitive. */
export function parseRestRoute(pathname: string): RestRoute {
  const segments = pathname.slice('/rest/'.length).split('/').map(decodeSegment);
  const toMethod = (name: string): string => name.toLowerCase().replace(/\.json$/, '');
  if (segments.length === 1) return { kind: 'oauth', method: toMethod(segments[0] ?? '') };
  return {
    kind: 'webhook',
    login: segments[0] ?? '',
    code: segments[1] ?? '',
    method: toMethod(segments.slice(2).join('/')),
  };
}

/** OAuth\Auth::getAuthKey: the Authorization: Bearer header first, then `auth`, then `access_token`. */
export function oauthTokenOf(params: Record<string, unknown>, authorizationHeader: string | undefined): string {
  if (authorizationHeader !== undefined && /^Bearer\s+/i.test(authorizationHeader)) {
    return authorizationHeader.replace(/^Bearer\s+/i, '');
  }
  for (const name of OAUTH_PARAM_NAMES) {
    const value = params[name];
    if (value !== undefined && !phpIsArray(value)) return phpString(value);
  }
  return '';
}

function planDenied(kind: 'webhook' | 'oauth'): RestError {
  return new RestError('ACCESS_DENIED', kind === 'webhook' ? ERROR_TEXT.ACCESS_DENIED_webhook : ERROR_TEXT.ACCESS_DENIED_oauth, 401);
}

function authenticateWebhook(
  sim: SimContext,
  route: Extract<RestRoute, { kind: 'webhook' }>,
  secure: boolean,
  definition: MethodDefinition,
): AuthContext | RestError {
  // Raised inside the auth check, so OAuthException's default 401 applies.
  if (sim.knobs.requireHttps && !secure) return new RestError('INVALID_REQUEST', ERROR_TEXT.INVALID_REQUEST, 401);
  // A numeric login is a user id; a non-numeric one would be looked up as a LOGIN (none match here).
  const isUserId = String(Number.parseInt(route.login, 10)) === route.login;
  if (!isUserId || Number(route.login) !== sim.userId || route.code !== sim.webhookCode) {
    return new RestError('INVALID_CREDENTIALS', ERROR_TEXT.INVALID_CREDENTIALS, 401);
  }
  const deniedScope = scopeError(sim, definition, { kind: 'webhook' });
  if (deniedScope) return deniedScope;
  if (!sim.knobs.restAvailable) return planDenied('webhook');
  return { kind: 'webhook', userId: sim.userId, clientId: null, entity: `webhook:${route.code}`, scopes: [...sim.knobs.scopes] };
}

function authenticateOAuth(sim: SimContext, token: string, definition: MethodDefinition): AuthContext | RestError {
  if (token === '') return new RestError('NO_AUTH_FOUND', ERROR_TEXT.NO_AUTH_FOUND, 401);
  const check = sim.tokens.checkAccess(token);
  if (!check.ok && check.error === 'invalid_token') return new RestError('invalid_token', ERROR_TEXT.invalid_token, 401);
  if (!sim.knobs.restAvailable) return planDenied('oauth');
  if (!check.ok) return new RestError('expired_token', ERROR_TEXT.expired_token, 401);
  const deniedScope = scopeError(sim, definition, { kind: 'oauth' });
  if (deniedScope) return deniedScope;
  const { clientId } = sim.tokens.config;
  return { kind: 'oauth', userId: check.userId, clientId, entity: `app:${clientId}`, scopes: [...sim.knobs.scopes] };
}

export function authenticate(
  sim: SimContext,
  route: RestRoute,
  oauthToken: string,
  secure: boolean,
  definition: MethodDefinition,
): AuthContext | RestError {
  return route.kind === 'webhook'
    ? authenticateWebhook(sim, route, secure, definition)
    : authenticateOAuth(sim, oauthToken, definition);
}
