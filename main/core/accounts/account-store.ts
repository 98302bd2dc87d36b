/**
 * Connected portals. What identifies an account (address, user, client id) is stored as plain
 * settings; what grants access (webhook code, client secret, tokens) only sealed by the SecretBox.
 */
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import type { OAuthTokens, PortalCredentials } from '../portal/credentials';
import type { SecretBox } from '../storage/secret-box';
import type { Storage } from '../storage/storage';
import { ACCOUNT_KEY_PARTS, accountKey } from './keys';

const ACCOUNTS_KEY = 'accounts';

export const AccountConfigSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  name: v.pipe(v.string(), v.maxLength(80)),
  origin: v.pipe(v.string(), v.url()),
  auth: v.picklist(['webhook', 'oauth']),
  /** The webhook's user (part of its URL, not a secret). */
  webhookUserId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  clientId: v.optional(v.string()),
  tokenUrl: v.optional(v.string()),
});
export type AccountConfig = v.InferOutput<typeof AccountConfigSchema>;
const AccountListSchema = v.array(AccountConfigSchema);

const SecretsSchema = v.variant('auth', [
  v.object({ auth: v.literal('webhook'), code: v.string() }),
  v.object({
    auth: v.literal('oauth'),
    clientSecret: v.string(),
    accessToken: v.string(),
    refreshToken: v.string(),
    expiresAt: v.optional(v.number()),
  }),
]);
export type AccountSecrets = v.InferOutput<typeof SecretsSchema>;
const SealedSchema = v.string();

export type NewAccount =
  | { name: string; auth: 'webhook'; origin: string; webhookUserId: number; code: string }
  | { name: string; auth: 'oauth'; origin: string; clientId: string; clientSecret: string; tokens: OAuthTokens; tokenUrl?: string };

/** The sealed secret could not be opened (another machine, a reset keychain): reconnect. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

export class AccountStore {
  constructor(
    private readonly storage: Storage,
    private readonly secretBox: SecretBox,
  ) {}

  list(): AccountConfig[] {
    return this.storage.read(ACCOUNTS_KEY, AccountListSchema) ?? [];
  }

  get(accountId: string): AccountConfig | undefined {
    return this.list().find((account) => account.id === accountId);
  }

  async add(input: NewAccount): Promise<AccountConfig> {
    const id = randomUUID();
    const config: AccountConfig =
      input.auth === 'webhook'
        ? { id, name: input.name, origin: input.origin, auth: 'webhook', webhookUserId: input.webhookUserId }
        : { id, name: input.name, origin: input.origin, auth: 'oauth', clientId: input.clientId, ...(input.tokenUrl ? { tokenUrl: input.tokenUrl } : {}) };
    const secrets: AccountSecrets =
      input.auth === 'webhook'
        ? { auth: 'webhook', code: input.code }
        : { auth: 'oauth', clientSecret: input.clientSecret, ...input.tokens };
    // Secret first: an account never exists without the means to use it.
    await this.#writeSecrets(id, secrets);
    this.storage.write(ACCOUNTS_KEY, AccountListSchema, [...this.list(), config]);
    return config;
  }

  /** Everything a PortalClient needs; rotated OAuth tokens are sealed again as they arrive. */
  async credentials(accountId: string): Promise<PortalCredentials> {
    const config = this.get(accountId);
    if (!config) throw new Error(`No account ${accountId}`);
    const secrets = await this.#readSecrets(accountId);
    if (config.auth === 'webhook' && secrets.auth === 'webhook' && config.webhookUserId !== undefined) {
      return { kind: 'webhook', origin: config.origin, userId: config.webhookUserId, code: secrets.code };
    }
    if (config.auth === 'oauth' && secrets.auth === 'oauth' && config.clientId !== undefined) {
      return {
        kind: 'oauth',
        origin: config.origin,
        clientId: config.clientId,
        clientSecret: secrets.clientSecret,
        tokens: { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken, ...(secrets.expiresAt ? { expiresAt: secrets.expiresAt } : {}) },
        ...(config.tokenUrl ? { tokenUrl: config.tokenUrl } : {}),
        onTokens: (tokens) => this.#writeSecrets(accountId, { ...secrets, ...tokens }),
      };
    }
    throw new SecretUnavailableError('The stored connection is incomplete. Reconnect the portal.');
  }

  /** Forgets the account and everything stored for it: its secret, its outbox, its marks. */
  remove(accountId: string): void {
    this.storage.write(
      ACCOUNTS_KEY,
      AccountListSchema,
      this.list().filter((account) => account.id !== accountId),
    );
    for (const part of ACCOUNT_KEY_PARTS) this.storage.remove(accountKey(accountId, part));
  }

  async #writeSecrets(accountId: string, secrets: AccountSecrets): Promise<void> {
    const sealed = await this.secretBox.seal(JSON.stringify(v.parse(SecretsSchema, secrets)));
    this.storage.write(accountKey(accountId, 'secret'), SealedSchema, sealed);
  }

  async #readSecrets(accountId: string): Promise<AccountSecrets> {
    const sealed = this.storage.read(accountKey(accountId, 'secret'), SealedSchema);
    if (sealed === undefined) throw new SecretUnavailableError('The portal’s credentials are missing. Reconnect the portal.');
    let plain: string;
    try {
      plain = await this.secretBox.open(sealed);
    } catch {
      throw new SecretUnavailableError('The saved credentials cannot be unlocked on this computer any more. Reconnect the portal.');
    }
    const parsed = v.safeParse(SecretsSchema, JSON.parse(plain));
    if (!parsed.success) throw new SecretUnavailableError('The saved credentials are damaged. Reconnect the portal.');
    return parsed.output;
  }
}
