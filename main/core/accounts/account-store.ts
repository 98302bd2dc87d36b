/**
 * Connected portals. What identifies an account (address, user, client id) is stored as plain
 * settings; what grants access (webhook code, client secret, tokens) only sealed by the SecretBox.
 */
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { CategoryIdSchema } from '../notifications/categories';
import type { OAuthTokens, PortalCredentials } from '../portal/credentials';
import type { SecretBox } from '../storage/secret-box';
import type { Storage } from '../storage/storage';
import { ACCOUNT_KEY_PARTS, accountKey } from './keys';

const ACCOUNTS_KEY = 'accounts';

/** Colours new portals get in turn (each readable as a label dot on light and dark backgrounds). */
export const PORTAL_COLORS = ['#2f80ed', '#eb5757', '#27ae60', '#f2994a', '#9b51e0', '#00a3a3', '#d6409f', '#8d6e63'] as const;
export const PortalColorSchema = v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/, 'A portal colour is written #rrggbb.'));
export const PortalNameSchema = v.pipe(v.string(), v.trim(), v.minLength(1, 'Give the portal a name.'), v.maxLength(80, 'A portal name can be at most 80 characters.'));
const MAX_MUTED_CATEGORIES = 500;

export const AccountConfigSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  name: v.pipe(v.string(), v.maxLength(80)),
  origin: v.pipe(v.string(), v.url()),
  auth: v.picklist(['webhook', 'oauth']),
  /** The webhook's user (part of its URL, not a secret). */
  webhookUserId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  clientId: v.optional(v.string()),
  /** Where OAuth tokens are renewed: the auth server the last token response named. */
  tokenUrl: v.optional(v.string()),
  /** OAuth: the portal (`member_id`) and the user (`user_id`) the token response named. */
  memberId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,64}$/))),
  oauthUserId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  // Added with several portals; absent in older files, so each has a default.
  color: v.optional(PortalColorSchema),
  /**
   * The user allowed plain HTTP to this on-premise portal (its administrator enabled
   * REST_APAUTH_ALLOW_HTTP); the credentials then travel in clear. Off unless chosen.
   */
  allowHttp: v.optional(v.boolean()),
  /** A disabled portal keeps its connection and outbox but is not polled. */
  enabled: v.optional(v.boolean(), true),
  /** Instant delivery through the portal's push channel (webhooks with pull_channel); on unless turned off. */
  instant: v.optional(v.boolean(), true),
  /** "module|event" categories that land in the inbox without a popup or sound. */
  mutedCategories: v.optional(v.pipe(v.array(CategoryIdSchema), v.maxLength(MAX_MUTED_CATEGORIES)), []),
  /** "module|event" categories that pop up even during quiet time (a calendar invitation, say). */
  breakThroughCategories: v.optional(v.pipe(v.array(CategoryIdSchema), v.maxLength(MAX_MUTED_CATEGORIES)), []),
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

/** What the user may change about a connected portal. */
export interface AccountChange {
  name?: string;
  color?: string;
  enabled?: boolean;
  instant?: boolean;
  mutedCategories?: string[];
  breakThroughCategories?: string[];
}

export const AccountChangeSchema = v.strictObject({
  name: v.optional(PortalNameSchema),
  color: v.optional(PortalColorSchema),
  enabled: v.optional(v.boolean()),
  instant: v.optional(v.boolean()),
  mutedCategories: v.optional(v.pipe(v.array(CategoryIdSchema), v.maxLength(MAX_MUTED_CATEGORIES))),
  breakThroughCategories: v.optional(v.pipe(v.array(CategoryIdSchema), v.maxLength(MAX_MUTED_CATEGORIES))),
});

export type NewAccount =
  | { name: string; auth: 'webhook'; origin: string; webhookUserId: number; code: string; allowHttp?: boolean }
  | {
      name: string;
      auth: 'oauth';
      origin: string;
      clientId: string;
      clientSecret: string;
      tokens: OAuthTokens;
      tokenUrl?: string;
      memberId?: string;
      oauthUserId?: number;
    };

/** An account id that is not (or no longer) in the list. */
export class UnknownAccountIdError extends Error {
  override readonly name = 'UnknownAccountIdError';
}

function nextColor(existing: AccountConfig[]): string {
  const used = new Set(existing.map((account) => account.color));
  return PORTAL_COLORS.find((color) => !used.has(color)) ?? PORTAL_COLORS[existing.length % PORTAL_COLORS.length]!;
}

/** The sealed secret could not be opened (another machine, a reset keychain): reconnect. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

export class AccountStore {
  constructor(
    private readonly storage: Storage,
    private readonly secretBox: SecretBox,
  ) {}

  /** In the user's order; a portal stored before colours existed gets one by its place. */
  list(): AccountConfig[] {
    // Record by record: one damaged entry must not hide every portal.
    const accounts = this.storage.readList(ACCOUNTS_KEY, AccountConfigSchema) ?? [];
    return accounts.map((account, index) => (account.color ? account : { ...account, color: PORTAL_COLORS[index % PORTAL_COLORS.length]! }));
  }

  get(accountId: string): AccountConfig | undefined {
    return this.list().find((account) => account.id === accountId);
  }

  async add(input: NewAccount): Promise<AccountConfig> {
    const id = randomUUID();
    const existing = this.list();
    const shared = { id, name: input.name, origin: input.origin, color: nextColor(existing), enabled: true, instant: true, mutedCategories: [], breakThroughCategories: [] };
    const config: AccountConfig =
      input.auth === 'webhook'
        ? { ...shared, auth: 'webhook', webhookUserId: input.webhookUserId, ...(input.allowHttp ? { allowHttp: true } : {}) }
        : {
            ...shared,
            auth: 'oauth',
            clientId: input.clientId,
            ...(input.tokenUrl ? { tokenUrl: input.tokenUrl } : {}),
            ...(input.memberId ? { memberId: input.memberId } : {}),
            ...(input.oauthUserId ? { oauthUserId: input.oauthUserId } : {}),
          };
    const secrets: AccountSecrets =
      input.auth === 'webhook'
        ? { auth: 'webhook', code: input.code }
        : { auth: 'oauth', clientSecret: input.clientSecret, ...input.tokens };
    // Secret first: an account never exists without the means to use it.
    await this.#writeSecrets(id, secrets);
    this.storage.write(ACCOUNTS_KEY, AccountListSchema, [...existing, config]);
    return config;
  }

  /** Renames, recolours, enables/disables or mutes categories; returns the stored result. */
  update(accountId: string, change: AccountChange): AccountConfig {
    const valid = v.parse(AccountChangeSchema, change);
    return this.#replace(accountId, (account) => ({
      ...account,
      ...valid,
      ...(valid.mutedCategories ? { mutedCategories: [...new Set(valid.mutedCategories)] } : {}),
      ...(valid.breakThroughCategories ? { breakThroughCategories: [...new Set(valid.breakThroughCategories)] } : {}),
    }));
  }

  /**
   * The portal's address changed (the user accepted a move, or the OAuth server named a new
   * REST address). Only the origin is stored; the sealed secret stays as it is.
   */
  setOrigin(accountId: string, origin: string): AccountConfig {
    return this.#replace(accountId, (account) => ({ ...account, origin: new URL(origin).origin }));
  }

  /** The OAuth server named another auth host to renew tokens at (client.ts #followAuthServer). */
  setTokenUrl(accountId: string, tokenUrl: string): AccountConfig {
    return this.#replace(accountId, (account) => ({ ...account, tokenUrl }));
  }

  /** Stores `change(account)` in the account's place in the list and returns it. */
  #replace(accountId: string, change: (account: AccountConfig) => AccountConfig): AccountConfig {
    const accounts = this.list();
    const index = accounts.findIndex((account) => account.id === accountId);
    if (index < 0) throw new UnknownAccountIdError('That portal is not connected any more.');
    const next = change(accounts[index]!);
    accounts[index] = next;
    this.storage.write(ACCOUNTS_KEY, AccountListSchema, accounts);
    return next;
  }

  /**
   * A new webhook for the same portal and user (the old one was deleted, or lost its `im`
   * permission): the new code is sealed first, then the address stored. Name, colour, order, muted
   * categories, read marks and unsent answers are the account's and stay as they are. A webhook
   * on https ends the consent to plain HTTP: going back to http:// is asked for again.
   */
  async replaceWebhook(accountId: string, webhook: { origin: string; code: string }): Promise<AccountConfig> {
    const account = this.get(accountId);
    if (!account) throw new UnknownAccountIdError('That portal is not connected any more.');
    await this.#writeSecrets(accountId, { auth: 'webhook', code: webhook.code });
    const address = new URL(webhook.origin);
    return this.#replace(accountId, (current) => {
      const next: AccountConfig = { ...current, origin: address.origin };
      if (address.protocol === 'https:') delete next.allowHttp;
      return next;
    });
  }

  /**
   * The same application signed in again: new tokens sealed with the kept client secret, and the
   * auth server the answer named. Everything else the account holds stays.
   */
  async replaceOAuthTokens(accountId: string, tokens: OAuthTokens, tokenUrl?: string): Promise<AccountConfig> {
    const account = this.get(accountId);
    if (!account) throw new UnknownAccountIdError('That portal is not connected any more.');
    const secrets = await this.#readSecrets(accountId);
    if (secrets.auth !== 'oauth') throw new SecretUnavailableError('The stored connection is incomplete. Reconnect the portal.');
    await this.#writeSecrets(accountId, { auth: 'oauth', clientSecret: secrets.clientSecret, ...tokens });
    return tokenUrl ? this.setTokenUrl(accountId, tokenUrl) : account;
  }

  /** Puts the portals in this order; the list must name each connected portal exactly once. */
  reorder(accountIds: string[]): AccountConfig[] {
    const accounts = this.list();
    const byId = new Map(accounts.map((account) => [account.id, account]));
    if (accountIds.length !== accounts.length || new Set(accountIds).size !== accountIds.length || accountIds.some((id) => !byId.has(id))) {
      throw new UnknownAccountIdError('The portal list changed meanwhile; try again.');
    }
    const ordered = accountIds.map((id) => byId.get(id)!);
    this.storage.write(ACCOUNTS_KEY, AccountListSchema, ordered);
    return ordered;
  }

  /** Everything a PortalClient needs; rotated OAuth tokens are sealed again as they arrive. */
  async credentials(accountId: string): Promise<PortalCredentials> {
    const config = this.get(accountId);
    if (!config) throw new Error(`No account ${accountId}`);
    const secrets = await this.#readSecrets(accountId);
    if (config.auth === 'webhook' && secrets.auth === 'webhook' && config.webhookUserId !== undefined) {
      return { kind: 'webhook', origin: config.origin, userId: config.webhookUserId, code: secrets.code, ...(config.allowHttp ? { allowHttp: true } : {}) };
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
        onTokenUrl: (tokenUrl) => void this.setTokenUrl(accountId, tokenUrl),
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
    let opened: { plain: string; reseal: boolean };
    try {
      opened = this.secretBox.openChecked ? await this.secretBox.openChecked(sealed) : { plain: await this.secretBox.open(sealed), reseal: false };
    } catch {
      throw new SecretUnavailableError('The saved credentials cannot be unlocked on this computer any more. Reconnect the portal.');
    }
    const parsed = v.safeParse(SecretsSchema, JSON.parse(opened.plain));
    if (!parsed.success) throw new SecretUnavailableError('The saved credentials are damaged. Reconnect the portal.');
    // Sealed again with the current key; the old one still opens until then, so a failure waits for next time.
    if (opened.reseal) await this.#writeSecrets(accountId, parsed.output).catch(() => undefined);
    return parsed.output;
  }
}
