/**
 * Connecting a portal by pasting its inbound webhook URL: the address is checked, the portal is
 * asked which scopes the webhook has (`scope`), and only a webhook with `im` becomes an account.
 * Every refusal says what to do; nothing is stored for a webhook that cannot work.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountConfig, AccountStore } from '../accounts/account-store';
import { PortalClient, type PortalClientOptions } from '../portal/client';
import { PortalError, type PortalErrorKind } from '../portal/errors';
import { DEFAULT_TOKEN_URL, type OAuthTokens, type PortalCredentials } from '../portal/credentials';
import { DEFAULT_HTTP_LIMITS, createAgent, httpPost, type RoutedDispatcher } from '../portal/http';
import { PortalUrlError, parsePortalInput, type PortalEndpoint, type PortalUrlProblem } from '../portal/portal-url';

/** Why a connection was refused, for the window to say it in the user's language. */
export type ConnectRefusal =
  | PortalUrlProblem
  | 'not-a-webhook'
  | 'already-connected'
  | 'other-portal'
  | 'missing-im'
  | 'missing-client'
  | 'redirect-port-busy'
  | 'approval-timeout'
  | 'approval-denied'
  | PortalErrorKind;

export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(
    readonly reason: ConnectRefusal,
    message: string,
    /** E.g. the scopes the webhook has. */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ConnectDeps {
  accounts: AccountStore;
  /** Brings the new account to life like every stored one (AccountsService.startConnected). */
  start: (account: AccountConfig) => Promise<void>;
  /**
   * Extra client options: `dispatcherFactory` (proxy) also carries the OAuth code exchange, `log`
   * hears the connection's outcome, `registerSecret` also learns the one-time authorization code.
   */
  clientOptions?: Partial<PortalClientOptions>;
}

function parseEndpoint(input: string): PortalEndpoint {
  try {
    return parsePortalInput(input);
  } catch (error) {
    if (error instanceof PortalUrlError) throw new ConnectError(error.problem, error.message);
    throw error;
  }
}

/** Asks the portal which scopes these credentials carry; without `im` nothing here can work. */
async function requireImScope(credentials: PortalCredentials, deps: ConnectDeps, what: string): Promise<void> {
  const probe = new PortalClient({ credentials, maxAttempts: 1, ...deps.clientOptions });
  let scopes: unknown;
  try {
    scopes = (await probe.call('scope')).result;
  } catch (error) {
    if (error instanceof PortalError) throw new ConnectError(error.kind, error.userMessage);
    throw error;
  } finally {
    await probe.close();
  }
  const granted = Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [];
  if (!granted.includes('im')) {
    throw new ConnectError(
      'missing-im',
      `This ${what} lacks the “im” (Chat and Notifications) permission${granted.length ? ` — it has: ${granted.join(', ')}` : ''}. Add it in Bitrix24 and connect again.`,
      { scopes: granted.join(', ') },
    );
  }
}

/** The stored account comes to life through the same path as every stored one. */
async function startAccount(account: AccountConfig, deps: ConnectDeps): Promise<AccountConfig> {
  await deps.start(account);
  deps.clientOptions?.log?.('info', `connected ${account.name} (${account.auth}) as account ${account.id}`);
  return account;
}

type WebhookEndpoint = Extract<PortalEndpoint, { kind: 'webhook' }>;

function parseWebhook(input: string): WebhookEndpoint {
  const endpoint = parseEndpoint(input);
  if (endpoint.kind !== 'webhook') {
    throw new ConnectError('not-a-webhook', 'This is the portal’s address, not a webhook. Paste the whole inbound webhook URL, e.g. https://your.bitrix24.com/rest/1/abc123/.');
  }
  return endpoint;
}

/** One inbox: the same portal host and the same webhook user. */
function sameWebhookUser(account: AccountConfig, endpoint: WebhookEndpoint): boolean {
  return account.auth === 'webhook' && new URL(account.origin).host === new URL(endpoint.origin).host && account.webhookUserId === endpoint.userId;
}

export async function connectWebhook(input: string, deps: ConnectDeps): Promise<AccountConfig> {
  const endpoint = parseWebhook(input);
  // The same portal and user twice would show every item twice and double the count.
  const existing = deps.accounts.list().find((account) => sameWebhookUser(account, endpoint));
  if (existing) throw new ConnectError('already-connected', `This portal and user are already connected as “${existing.name}”. To give it a new webhook, use Reconnect in its card in Settings.`, { name: existing.name });
  await requireImScope({ kind: 'webhook', origin: endpoint.origin, userId: endpoint.userId, code: endpoint.code }, deps, 'webhook');
  const account = await deps.accounts.add({ name: new URL(endpoint.origin).host, auth: 'webhook', origin: endpoint.origin, webhookUserId: endpoint.userId, code: endpoint.code });
  return startAccount(account, deps);
}

/**
 * Gives a connected webhook portal a new webhook URL (after an auth or scope problem), keeping
 * everything the account holds. The URL must name the same portal and the same user: anything
 * else is another inbox, to be connected as a new portal.
 */
export async function reconnectWebhook(accountId: string, input: string, deps: Omit<ConnectDeps, 'start'> & { restart: (account: AccountConfig) => Promise<void> }): Promise<AccountConfig> {
  const endpoint = parseWebhook(input);
  const account = deps.accounts.get(accountId);
  if (!account || account.auth !== 'webhook') throw new ConnectError('other-portal', 'This portal is not connected by a webhook; sign in to it again instead.');
  if (!sameWebhookUser(account, endpoint)) {
    throw new ConnectError('other-portal', `This webhook belongs to another portal or user than “${account.name}”. Paste a webhook of the same user on ${new URL(account.origin).host}, or add it as a new portal.`, {
      name: account.name,
      host: new URL(account.origin).host,
    });
  }
  await requireImScope({ kind: 'webhook', origin: endpoint.origin, userId: endpoint.userId, code: endpoint.code }, { ...deps, start: deps.restart }, 'webhook');
  const updated = await deps.accounts.replaceWebhook(accountId, { origin: endpoint.origin, code: endpoint.code });
  await deps.restart(updated);
  deps.clientOptions?.log?.('info', `reconnected ${updated.name} (webhook) as account ${updated.id}`);
  return updated;
}

/**
 * The app's fixed loopback redirect: a Bitrix24 local app is registered with one handler URL,
 * http://127.0.0.1:47651/callback.
 */
export const OAUTH_REDIRECT_PORT = 47651;

export interface OAuthConnectInput {
  /** The portal's address, as the user types it. */
  portal: string;
  clientId: string;
  clientSecret: string;
}

export interface OAuthConnectDeps extends ConnectDeps {
  /** Opens the portal's sign-in page in the user's browser. */
  openExternal: (url: string) => void | Promise<void>;
  /** Loopback port of the redirect; the local app's handler must be http://127.0.0.1:<port>/callback. */
  redirectPort?: number;
  tokenUrl?: string;
  /** How long to wait for the user to approve in the browser. */
  approvalTimeoutMs?: number;
}

/**
 * Connecting through an OAuth local app (§4.3): the user approves in the browser, the portal sends
 * a 30-second code to our loopback redirect, the code becomes a token pair, the pair is checked for
 * `im` and sealed with the account. Refresh tokens then rotate through the account store.
 */
export async function connectOAuth(input: OAuthConnectInput, deps: OAuthConnectDeps): Promise<AccountConfig> {
  const endpoint = parseEndpoint(input.portal);
  const clientId = input.clientId.trim();
  const clientSecret = input.clientSecret.trim();
  if (!clientId || !clientSecret) throw new ConnectError('missing-client', 'Enter the application’s client ID and client secret from Bitrix24.');
  const tokenUrl = deps.tokenUrl ?? DEFAULT_TOKEN_URL;
  const code = await awaitAuthorizationCode(endpoint.origin, clientId, deps);
  const tokens = await exchangeCode({ tokenUrl, clientId, clientSecret, code }, deps);
  const credentials: PortalCredentials = { kind: 'oauth', origin: endpoint.origin, clientId, clientSecret, tokens, tokenUrl, onTokens: () => undefined };
  await requireImScope(credentials, deps, 'application');
  const account = await deps.accounts.add({
    name: new URL(endpoint.origin).host,
    auth: 'oauth',
    origin: endpoint.origin,
    clientId,
    clientSecret,
    tokens,
    ...(deps.tokenUrl ? { tokenUrl } : {}),
  });
  return startAccount(account, deps);
}

async function awaitAuthorizationCode(origin: string, clientId: string, deps: OAuthConnectDeps): Promise<string> {
  const state = randomBytes(16).toString('hex');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', () => reject(new ConnectError('redirect-port-busy', `Port ${deps.redirectPort ?? 0} on this computer is in use; close what uses it and try again.`)));
    server.listen(deps.redirectPort ?? 0, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new ConnectError('approval-timeout', 'No approval arrived from the portal. Try again, and approve the app in the browser.')), deps.approvalTimeoutMs ?? 5 * 60_000);
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
    authorizeUrl.searchParams.set('redirect_uri', redirectUri);
    await deps.openExternal(authorizeUrl.href);
    return await code;
  } finally {
    clearTimeout(timer);
    server.close();
  }
}

async function exchangeCode(input: { tokenUrl: string; clientId: string; clientSecret: string; code: string }, deps: ConnectDeps): Promise<OAuthTokens> {
  const registerSecret = deps.clientOptions?.registerSecret;
  for (const secret of [input.clientSecret, input.code]) registerSecret?.(secret);
  const factory = deps.clientOptions?.dispatcherFactory;
  const route: RoutedDispatcher = factory ? await factory(new URL(input.tokenUrl).origin) : { dispatcher: createAgent(DEFAULT_HTTP_LIMITS) };
  // Only a pool made here is closed here; a factory's dispatchers are shared.
  const owned = factory ? undefined : route.dispatcher;
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
    if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
      const reason = typeof body.error === 'string' ? body.error : `HTTP ${reply.status}`;
      throw new ConnectError('auth', `The portal refused the sign-in (${reason}). Check the client ID and secret, and try again.`);
    }
    for (const secret of [body.access_token, body.refresh_token]) registerSecret?.(secret);
    const expiresInSec = typeof body.expires_in === 'number' ? body.expires_in : undefined;
    return { accessToken: body.access_token, refreshToken: body.refresh_token, ...(expiresInSec ? { expiresAt: Date.now() + expiresInSec * 1000 } : {}) };
  } catch (error) {
    if (error instanceof PortalError) throw new ConnectError(error.kind, error.userMessage);
    throw error;
  } finally {
    await owned?.close();
  }
}
