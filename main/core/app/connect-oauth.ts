/**
 * Connecting through an OAuth local application (§4.3, real-portal-notes §2): the address is first
 * checked to answer as a Bitrix24 portal, then the user approves in the browser, the portal sends
 * a 30-second code to the loopback handler registered on the application, the code becomes a token
 * pair at the auth server, and the token response says where the portal's REST lives
 * (`client_endpoint`), which auth server renews tokens (`server_endpoint`), and which portal and
 * user this is (`member_id`, `user_id`). A refused sign-in never calls back, so waiting ends on
 * Cancel or after a bounded time, with a message that says what to do.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountConfig } from '../accounts/account-store';
import { isAcceptableMove } from '../portal/client';
import { DEFAULT_TOKEN_URL, type PortalCredentials } from '../portal/credentials';
import { PortalError } from '../portal/errors';
import { DEFAULT_HTTP_LIMITS, createAgent, httpPost, type RoutedDispatcher } from '../portal/http';
import { BITRIX24_AUTH_HOSTS, parseTokenGrant, type TokenGrant } from '../portal/oauth-token';
import { OAUTH_HANDLER_URL, OAUTH_REDIRECT_PORT } from '../../shared/oauth-handler';
import { ConnectError, parseEndpoint, requireImScope, startAccount, type ConnectDeps } from './connect';

export { OAUTH_HANDLER_URL, OAUTH_REDIRECT_PORT };

export interface OAuthConnectInput {
  /** The portal's address, as the user types it. */
  portal: string;
  clientId: string;
  clientSecret: string;
}

/** Under two minutes: a refused sign-in never calls back, so the wait must end by itself. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 110_000;

export interface OAuthConnectDeps extends ConnectDeps {
  /** Opens the portal's sign-in page in the user's browser. */
  openExternal: (url: string) => void | Promise<void>;
  /** Loopback port of the handler; the local app's handler must be http://127.0.0.1:<port>/callback. */
  redirectPort?: number;
  /** The auth server's token URL; oauth.bitrix.info by default. */
  tokenUrl?: string;
  /** How long to wait for the user to approve in the browser. */
  approvalTimeoutMs?: number;
  /** Cancel: stops waiting at once, nothing is stored. */
  signal?: AbortSignal;
}

function trustedAuthHosts(deps: ConnectDeps): readonly string[] {
  return [...BITRIX24_AUTH_HOSTS, ...(deps.clientOptions?.trustedAuthHosts ?? [])];
}

async function routeFor(origin: string, deps: ConnectDeps): Promise<{ route: RoutedDispatcher; close: () => Promise<void> }> {
  const factory = deps.clientOptions?.dispatcherFactory;
  if (factory) return { route: await factory(origin), close: async () => undefined }; // shared: not ours to close
  const dispatcher = createAgent(DEFAULT_HTTP_LIMITS);
  return { route: { dispatcher }, close: () => dispatcher.close() };
}

/**
 * A Bitrix24 portal answers a REST call without credentials with its JSON error (NO_AUTH_FOUND,
 * §6 of the API reference); anything else is not a portal, and no browser tab is opened for it.
 */
async function requirePortalAnswers(origin: string, deps: ConnectDeps): Promise<void> {
  const { route, close } = await routeFor(origin, deps);
  const notAPortal = new ConnectError('not-a-portal', `${new URL(origin).host} does not answer as a Bitrix24 portal. Check the address (for example https://your.bitrix24.com) and try again.`, {
    host: new URL(origin).host,
  });
  try {
    const reply = await httpPost(new URL('/rest/scope.json', origin).href, { form: {} }, { dispatcher: route.dispatcher, limits: DEFAULT_HTTP_LIMITS, userAgent: 'B24Notify', ...(route.proxy ? { proxy: route.proxy } : {}) });
    let body: unknown;
    try {
      body = JSON.parse(reply.bodyText);
    } catch {
      throw notAPortal;
    }
    if (typeof body !== 'object' || body === null || (typeof (body as { error?: unknown }).error !== 'string' && !('result' in body))) throw notAPortal;
  } catch (error) {
    if (error instanceof PortalError) {
      // A redirect elsewhere is not the portal answering either; unreachable keeps its own words.
      throw error.kind === 'moved' ? notAPortal : new ConnectError(error.kind, error.userMessage);
    }
    throw error;
  } finally {
    await close();
  }
}

/** One portal and user: `member_id` + `user_id` when the auth server named them, else host + app. */
function sameOAuthUser(account: AccountConfig, origin: string, clientId: string, grant: TokenGrant): boolean {
  if (account.auth !== 'oauth') return false;
  if (grant.memberId && account.memberId) return account.memberId === grant.memberId && account.oauthUserId === grant.userId;
  return new URL(account.origin).host === new URL(origin).host && account.clientId === clientId;
}

export async function connectOAuth(input: OAuthConnectInput, deps: OAuthConnectDeps): Promise<AccountConfig> {
  const endpoint = parseEndpoint(input.portal);
  const clientId = input.clientId.trim();
  const clientSecret = input.clientSecret.trim();
  if (!clientId || !clientSecret) throw new ConnectError('missing-client', 'Enter the application’s client ID and client secret from Bitrix24.');
  await requirePortalAnswers(endpoint.origin, deps);
  const firstTokenUrl = deps.tokenUrl ?? DEFAULT_TOKEN_URL;
  const code = await awaitAuthorizationCode(endpoint.origin, clientId, deps);
  const grant = await exchangeCode({ tokenUrl: firstTokenUrl, clientId, clientSecret, code }, deps);
  // REST lives where the auth server says (client_endpoint), when we would accept it typed in.
  const restOrigin = restOriginFor(endpoint.origin, grant.clientEndpoint);
  const tokenUrl = grant.tokenUrl ?? firstTokenUrl;
  const existing = deps.accounts.list().find((account) => sameOAuthUser(account, restOrigin, clientId, grant));
  if (existing) throw new ConnectError('already-connected', `This portal and user are already connected as “${existing.name}”.`, { name: existing.name });
  const credentials: PortalCredentials = { kind: 'oauth', origin: restOrigin, clientId, clientSecret, tokens: grant.tokens, tokenUrl, onTokens: () => undefined };
  await requireImScope(credentials, deps, 'application');
  const account = await deps.accounts.add({
    name: new URL(restOrigin).host,
    auth: 'oauth',
    origin: restOrigin,
    clientId,
    clientSecret,
    tokens: grant.tokens,
    ...(tokenUrl !== DEFAULT_TOKEN_URL ? { tokenUrl } : {}),
    ...(grant.memberId ? { memberId: grant.memberId } : {}),
    ...(grant.userId ? { oauthUserId: grant.userId } : {}),
  });
  return startAccount(account, deps);
}

function restOriginFor(typedOrigin: string, clientEndpoint: string | undefined): string {
  if (!clientEndpoint) return typedOrigin;
  try {
    const target = new URL(clientEndpoint);
    return isAcceptableMove(new URL(typedOrigin), target) ? target.origin : typedOrigin;
  } catch {
    return typedOrigin;
  }
}

function cancelled(): ConnectError {
  return new ConnectError('sign-in-cancelled', 'Sign-in cancelled.');
}

async function awaitAuthorizationCode(origin: string, clientId: string, deps: OAuthConnectDeps): Promise<string> {
  if (deps.signal?.aborted) throw cancelled();
  const state = randomBytes(16).toString('hex');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', () => reject(new ConnectError('redirect-port-busy', `Port ${deps.redirectPort ?? 0} on this computer is in use; close what uses it and try again.`)));
    server.listen(deps.redirectPort ?? 0, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const code = new Promise<string>((resolve, reject) => {
      const timeoutMs = deps.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
      timer = setTimeout(
        () =>
          reject(
            new ConnectError(
              'approval-timeout',
              `No answer from the portal after ${Math.ceil(timeoutMs / 1000)} s. If you approved, check that the application’s handler URL is exactly ${OAUTH_HANDLER_URL}; if the portal showed an error, the sign-in was refused. Then try again.`,
              { handlerUrl: OAUTH_HANDLER_URL },
            ),
          ),
        timeoutMs,
      );
      onAbort = () => reject(cancelled());
      deps.signal?.addEventListener('abort', onAbort, { once: true });
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        // Only the portal's answer to this attempt counts; anything else on the port is ignored.
        if (url.pathname !== '/callback' || url.searchParams.get('state') !== state) {
          res.writeHead(404).end();
          return;
        }
        const received = url.searchParams.get('code');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          received ? '<p>B24 Notify is connected. You can close this tab.</p>' : '<p>The portal did not approve B24 Notify. You can close this tab.</p>',
        );
        if (received) resolve(received);
        else reject(new ConnectError('approval-denied', 'The portal did not approve the application.'));
      });
    });
    const authorizeUrl = new URL('/oauth/authorize/', origin);
    authorizeUrl.searchParams.set('client_id', clientId);
    authorizeUrl.searchParams.set('state', state);
    // Sent as the protocol asks, though the portal uses the handler registered on the application.
    authorizeUrl.searchParams.set('redirect_uri', redirectUri);
    // Cancel, the time limit or the answer end the wait even while the browser call hangs (its
    // port would stay bound and the next attempt refused as busy); a failed call ends it too. The
    // race also handles an answer that comes before the call returns (no unhandled rejection).
    await Promise.race([Promise.resolve().then(() => deps.openExternal(authorizeUrl.href)), code]);
    return await code;
  } finally {
    clearTimeout(timer);
    if (onAbort) deps.signal?.removeEventListener('abort', onAbort);
    server.close();
  }
}

async function exchangeCode(input: { tokenUrl: string; clientId: string; clientSecret: string; code: string }, deps: ConnectDeps): Promise<TokenGrant> {
  const registerSecret = deps.clientOptions?.registerSecret;
  for (const secret of [input.clientSecret, input.code]) registerSecret?.(secret);
  const { route, close } = await routeFor(new URL(input.tokenUrl).origin, deps);
  try {
    const reply = await httpPost(
      input.tokenUrl,
      { form: { grant_type: 'authorization_code', client_id: input.clientId, client_secret: input.clientSecret, code: input.code } },
      { dispatcher: route.dispatcher, limits: DEFAULT_HTTP_LIMITS, userAgent: 'B24Notify', ...(route.proxy ? { proxy: route.proxy } : {}) },
    );
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(reply.bodyText) as Record<string, unknown>;
    } catch {
      body = {};
    }
    const grant = parseTokenGrant(body, Date.now(), trustedAuthHosts(deps));
    if (!grant) {
      const reason = typeof body.error === 'string' ? body.error : `HTTP ${reply.status}`;
      throw new ConnectError('auth', `The portal refused the sign-in (${reason}). Check the client ID and secret, and try again.`);
    }
    for (const secret of [grant.tokens.accessToken, grant.tokens.refreshToken]) registerSecret?.(secret);
    return grant;
  } catch (error) {
    if (error instanceof PortalError) throw new ConnectError(error.kind, error.userMessage);
    throw error;
  } finally {
    await close();
  }
}

/**
 * Signs a connected OAuth portal in again (after its refresh token was revoked or expired),
 * keeping everything the account holds: the same application, and the same portal and user when
 * the auth server names them. The new tokens are sealed, then the portal restarts.
 */
export async function reconnectOAuth(accountId: string, deps: Omit<OAuthConnectDeps, 'start'> & { restart: (account: AccountConfig) => Promise<void> }): Promise<AccountConfig> {
  const account = deps.accounts.get(accountId);
  if (!account || account.auth !== 'oauth' || !account.clientId) throw new ConnectError('other-portal', 'This portal is not connected by an application; paste a new webhook URL instead.');
  const credentials = await deps.accounts.credentials(accountId).catch(() => undefined);
  if (credentials?.kind !== 'oauth') throw new ConnectError('missing-client', 'The application’s secret is not available any more. Disconnect the portal and connect it again.');
  await requirePortalAnswers(account.origin, { ...deps, start: deps.restart });
  const firstTokenUrl = account.tokenUrl ?? deps.tokenUrl ?? DEFAULT_TOKEN_URL;
  const code = await awaitAuthorizationCode(account.origin, account.clientId, { ...deps, start: deps.restart });
  const grant = await exchangeCode({ tokenUrl: firstTokenUrl, clientId: account.clientId, clientSecret: credentials.clientSecret, code }, { ...deps, start: deps.restart });
  const otherUser = account.memberId && grant.memberId && (account.memberId !== grant.memberId || account.oauthUserId !== grant.userId);
  if (otherUser) {
    throw new ConnectError('other-portal', `You signed in as another user or portal than “${account.name}”. Sign in as the same user, or add it as a new portal.`, { name: account.name });
  }
  const updated = await deps.accounts.replaceOAuthTokens(accountId, grant.tokens, grant.tokenUrl);
  await deps.restart(updated);
  deps.clientOptions?.log?.('info', `signed in again to ${updated.name} (oauth) as account ${updated.id}`);
  return updated;
}

/**
 * One sign-in at a time, which the window can cancel: waiting on the portal holds a loopback port
 * and a browser tab, and the user must be able to stop it (a refused sign-in never calls back).
 */
export class SignInGate {
  #current: AbortController | undefined;

  async run<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    try {
      return await attempt(controller.signal);
    } finally {
      if (this.#current === controller) this.#current = undefined;
    }
  }

  /** True when a sign-in was waiting and is now cancelled. */
  cancel(): boolean {
    const current = this.#current;
    this.#current = undefined;
    current?.abort();
    return current !== undefined;
  }
}
