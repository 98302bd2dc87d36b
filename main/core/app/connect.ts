/**
 * Connecting a portal by pasting its inbound webhook URL: the address is checked, the portal is
 * asked which scopes the webhook has (`scope`), and only a webhook with `im` becomes an account.
 * Every refusal says what to do; nothing is stored for a webhook that cannot work.
 */
import type { AccountConfig, AccountStore } from '../accounts/account-store';
import { AccountEngine } from '../engine/account-engine';
import { PortalClient, type PortalClientOptions } from '../portal/client';
import { PortalError, type PortalErrorKind } from '../portal/errors';
import { PortalUrlError, parsePortalInput, type PortalUrlProblem } from '../portal/portal-url';
import type { Storage } from '../storage/storage';
import type { NotificationHub } from './hub';

/** Why a connection was refused, for the window to say it in the user's language. */
export type ConnectRefusal = PortalUrlProblem | 'not-a-webhook' | 'missing-im' | PortalErrorKind;

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
  hub: NotificationHub;
  storage: Storage;
  pollIntervalMs?: number;
  /** Extra client options (tests, proxy). */
  clientOptions?: Partial<PortalClientOptions>;
}

export async function connectWebhook(input: string, deps: ConnectDeps): Promise<AccountConfig> {
  let endpoint;
  try {
    endpoint = parsePortalInput(input);
  } catch (error) {
    if (error instanceof PortalUrlError) throw new ConnectError(error.problem, error.message);
    throw error;
  }
  if (endpoint.kind !== 'webhook') {
    throw new ConnectError('not-a-webhook', 'This is the portal’s address, not a webhook. Paste the whole inbound webhook URL, e.g. https://your.bitrix24.com/rest/1/abc123/.');
  }
  const credentials = { kind: 'webhook' as const, origin: endpoint.origin, userId: endpoint.userId, code: endpoint.code };
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
      `This webhook lacks the “im” (Chat and Notifications) permission${granted.length ? ` — it has: ${granted.join(', ')}` : ''}. Edit the webhook in Bitrix24, tick it, and paste the URL again.`,
      { scopes: granted.join(', ') },
    );
  }
  const account = await deps.accounts.add({ name: new URL(endpoint.origin).host, auth: 'webhook', origin: endpoint.origin, webhookUserId: endpoint.userId, code: endpoint.code });
  const client = new PortalClient({ credentials, ...deps.clientOptions });
  const engine = new AccountEngine({ accountId: account.id, client, storage: deps.storage, ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}) });
  deps.hub.add(account.name, engine);
  engine.start();
  return account;
}
