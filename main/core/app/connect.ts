/**
 * Connecting a portal by pasting its inbound webhook URL: the address is checked, the portal is
 * asked which scopes the webhook has (`scope`), and only a webhook with `im` becomes an account.
 * Every refusal says what to do; nothing is stored for a webhook that cannot work.
 */
import type { AccountConfig, AccountStore } from '../accounts/account-store';
import { PortalClient, type PortalClientOptions } from '../portal/client';
import { PortalError, type PortalErrorKind } from '../portal/errors';
import type { PortalCredentials } from '../portal/credentials';
import { PortalUrlError, parsePortalInput, type PortalEndpoint, type PortalUrlProblem } from '../portal/portal-url';

/** Why a connection was refused, for the window to say it in the user's language. */
export type ConnectRefusal =
  | PortalUrlProblem
  | 'not-a-webhook'
  | 'already-connected'
  | 'other-portal'
  | 'missing-im'
  | 'missing-client'
  | 'not-a-portal'
  | 'sign-in-cancelled'
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

export function parseEndpoint(input: string, options: { allowHttp?: boolean } = {}): PortalEndpoint {
  try {
    return parsePortalInput(input, options);
  } catch (error) {
    if (error instanceof PortalUrlError) throw new ConnectError(error.problem, error.message);
    throw error;
  }
}

/** Asks the portal which scopes these credentials carry; without `im` nothing here can work. */
export async function requireImScope(credentials: PortalCredentials, deps: ConnectDeps, what: string): Promise<void> {
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
export async function startAccount(account: AccountConfig, deps: ConnectDeps): Promise<AccountConfig> {
  await deps.start(account);
  deps.clientOptions?.log?.('info', `connected ${account.name} (${account.auth}) as account ${account.id}`);
  return account;
}

type WebhookEndpoint = Extract<PortalEndpoint, { kind: 'webhook' }>;

function parseWebhook(input: string, options: { allowHttp?: boolean } = {}): WebhookEndpoint {
  const endpoint = parseEndpoint(input, options);
  if (endpoint.kind !== 'webhook') {
    throw new ConnectError('not-a-webhook', 'This is the portal’s address, not a webhook. Paste the whole inbound webhook URL, e.g. https://your.bitrix24.com/rest/1/abc123/.');
  }
  return endpoint;
}

/** One inbox: the same portal host and the same webhook user. */
function sameWebhookUser(account: AccountConfig, endpoint: WebhookEndpoint): boolean {
  return account.auth === 'webhook' && new URL(account.origin).host === new URL(endpoint.origin).host && account.webhookUserId === endpoint.userId;
}

/** Plain HTTP for this webhook: the user allowed it for the portal, and its address is http:// (https stays https). */
function httpAllowed(userAllowed: boolean, endpoint: WebhookEndpoint): boolean {
  return userAllowed && new URL(endpoint.origin).protocol === 'http:';
}

/**
 * `allowHttp`: the user ticked "allow unencrypted HTTP" for an on-premise portal whose
 * administrator enabled it; without it a remote http:// address is refused.
 */
export async function connectWebhook(input: string, deps: ConnectDeps, options: { allowHttp?: boolean } = {}): Promise<AccountConfig> {
  const endpoint = parseWebhook(input, options);
  const allowHttp = httpAllowed(options.allowHttp === true, endpoint);
  // The same portal and user twice would show every item twice and double the count.
  const existing = deps.accounts.list().find((account) => sameWebhookUser(account, endpoint));
  if (existing) throw new ConnectError('already-connected', `This portal and user are already connected as “${existing.name}”. To give it a new webhook, use Reconnect in its card in Settings.`, { name: existing.name });
  await requireImScope({ kind: 'webhook', origin: endpoint.origin, userId: endpoint.userId, code: endpoint.code, ...(allowHttp ? { allowHttp } : {}) }, deps, 'webhook');
  const account = await deps.accounts.add({
    name: new URL(endpoint.origin).host,
    auth: 'webhook',
    origin: endpoint.origin,
    webhookUserId: endpoint.userId,
    code: endpoint.code,
    ...(allowHttp ? { allowHttp } : {}),
  });
  if (allowHttp) deps.clientOptions?.log?.('warn', `${account.name} is connected over unencrypted HTTP, as the user chose: its webhook code travels in clear`);
  return startAccount(account, deps);
}

/**
 * Gives a connected webhook portal a new webhook URL (after an auth or scope problem), keeping
 * everything the account holds. The URL must name the same portal and the same user: anything
 * else is another inbox, to be connected as a new portal.
 */
export async function reconnectWebhook(accountId: string, input: string, deps: Omit<ConnectDeps, 'start'> & { restart: (account: AccountConfig) => Promise<void> }): Promise<AccountConfig> {
  const account = deps.accounts.get(accountId);
  const endpoint = parseWebhook(input, { allowHttp: account?.allowHttp === true });
  if (!account || account.auth !== 'webhook') throw new ConnectError('other-portal', 'This portal is not connected by a webhook; sign in to it again instead.');
  if (!sameWebhookUser(account, endpoint)) {
    throw new ConnectError('other-portal', `This webhook belongs to another portal or user than “${account.name}”. Paste a webhook of the same user on ${new URL(account.origin).host}, or add it as a new portal.`, {
      name: account.name,
      host: new URL(account.origin).host,
    });
  }
  // A box the user allowed plain HTTP is checked over it too, as at connect.
  const allowHttp = httpAllowed(account.allowHttp === true, endpoint);
  await requireImScope({ kind: 'webhook', origin: endpoint.origin, userId: endpoint.userId, code: endpoint.code, ...(allowHttp ? { allowHttp } : {}) }, { ...deps, start: deps.restart }, 'webhook');
  const updated = await deps.accounts.replaceWebhook(accountId, { origin: endpoint.origin, code: endpoint.code });
  await deps.restart(updated);
  deps.clientOptions?.log?.('info', `reconnected ${updated.name} (webhook) as account ${updated.id}`);
  if (allowHttp) deps.clientOptions?.log?.('warn', `${updated.name} is reconnected over unencrypted HTTP, as the user chose: its webhook code travels in clear`);
  return updated;
}
