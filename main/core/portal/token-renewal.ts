/**
 * OAuth token renewal for one portal: one renewal shared by concurrent calls that met an expired
 * token, at the auth server the last token response named (real-portal-notes §2).
 */
import type { OAuthCredentials } from './credentials';
import { PortalError } from './errors';
import { errorFromBody, errorInit, isRecord } from './envelope';
import type { HttpBody, HttpReply } from './http';
import type { PortalLogLevel } from './client-types';
import { parseTokenGrant } from './oauth-token';
import type { Redactor } from './redact';

export interface TokenRenewalDeps {
  post(url: string, body: HttpBody, signal: AbortSignal | undefined): Promise<HttpReply>;
  redactor: Redactor;
  log(level: PortalLogLevel, message: string): void;
  now(): number;
  addSecrets(...secrets: string[]): void;
  /** The token response named the portal's REST address (`client_endpoint`). */
  followClientEndpoint(endpoint: unknown): void;
}

export class TokenRenewal {
  readonly #credentials: OAuthCredentials;
  readonly #trustedAuthHosts: readonly string[];
  readonly #deps: TokenRenewalDeps;
  #tokenUrl: string;
  #refreshing: Promise<void> | undefined;

  constructor(credentials: OAuthCredentials, tokenUrl: string, trustedAuthHosts: readonly string[], deps: TokenRenewalDeps) {
    this.#credentials = credentials;
    this.#tokenUrl = tokenUrl;
    this.#trustedAuthHosts = trustedAuthHosts;
    this.#deps = deps;
  }

  /** Concurrent calls that hit an expired token share one renewal. */
  async renew(staleAccessToken: string, signal: AbortSignal | undefined): Promise<void> {
    const credentials = this.#credentials;
    if (credentials.tokens.accessToken !== staleAccessToken) return; // another call already renewed it
    this.#refreshing ??= this.#requestTokens(credentials, signal).finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  async #requestTokens(credentials: OAuthCredentials, signal: AbortSignal | undefined): Promise<void> {
    let reply: HttpReply;
    try {
      reply = await this.#deps.post(
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
      const error = errorFromBody(json, reply.status, this.#deps.redactor);
      this.#deps.log('warn', `token renewal refused: ${error.code}`);
      throw new PortalError({ ...errorInit(error), delivery: 'not-processed' });
    }
    const grant = parseTokenGrant(json, this.#deps.now(), this.#trustedAuthHosts);
    if (!grant) throw new PortalError({ kind: 'transient', code: 'INVALID_RESPONSE', status: reply.status, delivery: 'not-processed' });
    const { tokens } = grant;
    this.#deps.addSecrets(tokens.accessToken, tokens.refreshToken);
    credentials.tokens = tokens;
    this.#deps.log('info', 'OAuth tokens renewed');
    await credentials.onTokens({ ...tokens });
    this.#deps.followClientEndpoint(grant.clientEndpoint);
    this.#followAuthServer(grant.tokenUrl, credentials);
  }

  /**
   * The token response names the auth server that answered (`server_endpoint`): renew there next
   * time, as the official SDK does (real-portal-notes §2). Only Bitrix24's own auth hosts count.
   */
  #followAuthServer(tokenUrl: string | undefined, credentials: OAuthCredentials): void {
    if (!tokenUrl || tokenUrl === this.#tokenUrl) return;
    this.#deps.log('info', `the OAuth server is now ${new URL(tokenUrl).host}; tokens are renewed there`);
    this.#tokenUrl = tokenUrl;
    credentials.tokenUrl = tokenUrl;
    credentials.onTokenUrl?.(tokenUrl);
  }
}
