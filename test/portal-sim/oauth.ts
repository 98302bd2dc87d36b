/**
 * The OAuth side (§4.3): access tokens (1 h by default), refresh tokens rotated on every refresh
 * (180 days), 30-second authorization codes, and the /oauth/token/ exchange with its errors.
 */
import { randomBytes } from 'node:crypto';
import { phpString } from './php';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  accessTtlSec: number;
  /** The handler registered on the application; the sent redirect_uri is ignored when set. */
  registeredHandlerUrl?: string;
}

/** What the token response says about the portal, computed when the request is answered. */
export interface TokenResponseContext {
  scope: string;
  clientEndpoint: string;
  serverEndpoint: string;
  domain: string;
  memberId: string;
}

export type AccessCheck = { ok: true; userId: number } | { ok: false; error: 'expired_token' | 'invalid_token' };

export interface TokenExchangeResult {
  status: number;
  body: Record<string, unknown>;
  grantType: string;
  error?: string;
}

interface Grant {
  userId: number;
  expiresAtMs: number;
}

export interface IssuedPair {
  accessToken: string;
  refreshToken: string;
  expiresAtMs: number;
}

const REFRESH_TTL_MS = 180 * 24 * 3600 * 1000;
const AUTH_CODE_TTL_MS = 30 * 1000;

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function oauthError(status: number, grantType: string, error: string, description: string): TokenExchangeResult {
  return { status, grantType, error, body: { error, error_description: description } };
}

export class TokenStore {
  private readonly accessTokens = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly authCodes = new Map<string, Grant>();

  constructor(
    readonly config: OAuthConfig,
    private readonly userId: number,
    private readonly now: () => number,
  ) {}

  issue(): IssuedPair {
    const nowMs = this.now();
    const pair: IssuedPair = {
      accessToken: randomToken(36),
      refreshToken: randomToken(36),
      expiresAtMs: nowMs + this.config.accessTtlSec * 1000,
    };
    this.accessTokens.set(pair.accessToken, { userId: this.userId, expiresAtMs: pair.expiresAtMs });
    this.refreshTokens.set(pair.refreshToken, { userId: this.userId, expiresAtMs: nowMs + REFRESH_TTL_MS });
    return pair;
  }

  createAuthCode(): string {
    const code = randomToken(16);
    this.authCodes.set(code, { userId: this.userId, expiresAtMs: this.now() + AUTH_CODE_TTL_MS });
    return code;
  }

  /** OAuth\Auth::onRestCheckAuth: unknown → invalid_token, `expires <= time()` → expired_token. */
  checkAccess(token: string): AccessCheck {
    const grant = this.accessTokens.get(token);
    if (!grant) return { ok: false, error: 'invalid_token' };
    if (grant.expiresAtMs <= this.now()) return { ok: false, error: 'expired_token' };
    return { ok: true, userId: grant.userId };
  }

  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAtMs = Number.NEGATIVE_INFINITY;
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** Takes a one-time grant (code or refresh token); undefined when unknown, 'expired' when stale. */
  private consume(store: Map<string, Grant>, key: string): Grant | 'expired' | undefined {
    const grant = store.get(key);
    if (!grant) return undefined;
    store.delete(key);
    return grant.expiresAtMs <= this.now() ? 'expired' : grant;
  }

  /** GET or POST /oauth/token/ with grant_type=refresh_token|authorization_code. */
  exchange(params: Record<string, unknown>, context: TokenResponseContext): TokenExchangeResult {
    const grantType = phpString(params['grant_type']);
    if (grantType === '') {
      return oauthError(400, grantType, 'invalid_request', 'Invalid grant_type parameter or parameter missing');
    }
    if (phpString(params['client_id']) !== this.config.clientId || phpString(params['client_secret']) !== this.config.clientSecret) {
      return oauthError(401, grantType, 'invalid_client', 'The client credentials are invalid');
    }
    let grant: Grant | 'expired' | undefined;
    if (grantType === 'refresh_token') {
      grant = this.consume(this.refreshTokens, phpString(params['refresh_token']));
    } else if (grantType === 'authorization_code') {
      grant = this.consume(this.authCodes, phpString(params['code']));
    } else {
      return oauthError(400, grantType, 'unsupported_grant_type', 'Grant type not supported');
    }
    if (grant === undefined) {
      return oauthError(400, grantType, 'invalid_grant', 'Invalid grant: the code or refresh token is unknown or already used');
    }
    if (grant === 'expired') return oauthError(400, grantType, 'invalid_grant', 'The code or refresh token has expired');
    const pair = this.issue();
    return { status: 200, grantType, body: this.tokenResponse(pair, context) };
  }

  /** Field order of a real oauth.bitrix.info answer. */
  tokenResponse(pair: IssuedPair, context: TokenResponseContext): Record<string, unknown> {
    return {
      access_token: pair.accessToken,
      expires: Math.floor(pair.expiresAtMs / 1000),
      expires_in: this.config.accessTtlSec,
      scope: context.scope,
      domain: context.domain,
      server_endpoint: context.serverEndpoint,
      status: 'L',
      client_endpoint: context.clientEndpoint,
      member_id: context.memberId,
      user_id: this.userId,
      refresh_token: pair.refreshToken,
    };
  }
}
