/**
 * What an OAuth token response says beyond the token pair (real-portal-notes §2; b24jssdk
 * packages/jssdk/src/oauth/auth.ts): `client_endpoint` is the portal's REST base, `server_endpoint`
 * the auth server that answered (`https://oauth.bitrix.info/rest/` or
 * `https://oauth.bitrix24.tech/rest/`), `member_id` the portal, `user_id` the user, `expires` the
 * access token's end in Unix seconds.
 */
import type { OAuthTokens } from './credentials';

export interface TokenGrant {
  tokens: OAuthTokens;
  /** The portal's REST base as the auth server names it. */
  clientEndpoint?: string;
  /** Where tokens are renewed from now on (`https://<auth host>/oauth/token/`), when trusted. */
  tokenUrl?: string;
  memberId?: string;
  userId?: number;
}

/**
 * Bitrix24's OAuth servers. A token response may name another as `server_endpoint`; only these
 * (and hosts a caller adds, e.g. the simulator's) are ever sent a refresh token.
 */
export const BITRIX24_AUTH_HOSTS: readonly string[] = ['oauth.bitrix.info', 'oauth.bitrix24.tech'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `https://<host>/oauth/token/` for a trusted `server_endpoint`, else undefined. */
export function tokenUrlFor(serverEndpoint: unknown, trustedHosts: readonly string[]): string | undefined {
  if (typeof serverEndpoint !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(serverEndpoint);
  } catch {
    return undefined;
  }
  if (url.username || url.password || !trustedHosts.includes(url.host)) return undefined;
  // Loopback auth servers (the simulator) may speak http; any other must be https.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && /^127\.|^\[::1\]$|^localhost$/.test(url.hostname))) return undefined;
  return new URL('/oauth/token/', url.origin).href;
}

/** Undefined when the body is not a token response (no access or refresh token). */
export function parseTokenGrant(body: unknown, nowMs: number, trustedAuthHosts: readonly string[]): TokenGrant | undefined {
  if (!isRecord(body) || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string' || !body.access_token || !body.refresh_token) return undefined;
  const expiresAt =
    typeof body.expires_in === 'number' && body.expires_in > 0
      ? nowMs + body.expires_in * 1000
      : typeof body.expires === 'number' && body.expires > 0
        ? body.expires * 1000
        : undefined;
  const userId = typeof body.user_id === 'number' ? body.user_id : typeof body.user_id === 'string' && /^\d+$/.test(body.user_id) ? Number(body.user_id) : undefined;
  const tokenUrl = tokenUrlFor(body.server_endpoint, trustedAuthHosts);
  return {
    tokens: { accessToken: body.access_token, refreshToken: body.refresh_token, ...(expiresAt !== undefined ? { expiresAt } : {}) },
    ...(typeof body.client_endpoint === 'string' && body.client_endpoint ? { clientEndpoint: body.client_endpoint } : {}),
    ...(tokenUrl ? { tokenUrl } : {}),
    ...(typeof body.member_id === 'string' && /^[A-Za-z0-9]{1,64}$/.test(body.member_id) ? { memberId: body.member_id } : {}),
    ...(userId !== undefined && Number.isSafeInteger(userId) && userId > 0 ? { userId } : {}),
  };
}
