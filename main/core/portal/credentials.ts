/**
 * How a client proves who it is. A webhook carries its secret in the URL path; an OAuth app sends
 * an access token that expires hourly and is renewed with a refresh token that rotates on every
 * renewal (§4.3), so the rotated pair must be stored at once through `onTokens`.
 */
export interface WebhookCredentials {
  kind: 'webhook';
  origin: string;
  /** The user allowed plain HTTP to this (non-loopback) portal; off unless chosen. */
  allowHttp?: boolean;
  userId: number;
  code: string;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms, when the server said; informational (we refresh on `expired_token`, never on a timer). */
  expiresAt?: number;
}

export interface OAuthCredentials {
  kind: 'oauth';
  origin: string;
  /** The user allowed plain HTTP to this (non-loopback) portal; off unless chosen. */
  allowHttp?: boolean;
  clientId: string;
  clientSecret: string;
  tokens: OAuthTokens;
  /**
   * Where tokens are renewed: the auth server the last token response named (`server_endpoint`),
   * with oauth.bitrix.info only as the fallback (real-portal-notes §2).
   */
  tokenUrl?: string;
  /** Called with every rotated pair before the original call is repeated; persist it here. */
  onTokens: (tokens: OAuthTokens) => void | Promise<void>;
  /** A token response named another trusted auth server: renew there from now on; persist it here. */
  onTokenUrl?: (tokenUrl: string) => void;
}

export type PortalCredentials = WebhookCredentials | OAuthCredentials;

export const DEFAULT_TOKEN_URL = 'https://oauth.bitrix.info/oauth/token/';
