/**
 * Connected portals at their edges (issue 18's survivors in main/core/accounts): the colour each
 * new or older portal gets, reordering against a list that changed, signing in again, the
 * credentials of an account whose stored parts do not fit together, and secrets that are missing,
 * locked, damaged or due to be sealed again. The oracle is what the next start reads back.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { string } from 'valibot';
import { describe, expect, it } from 'vitest';
import { AccountStore, PORTAL_COLORS, SecretUnavailableError, UnknownAccountIdError, type NewAccount } from '../../main/core/accounts/account-store';
import { accountKey } from '../../main/core/accounts/keys';
import { LEGACY_KEYS, migrateSinglePortalConfig } from '../../main/core/accounts/migrate';
import type { OAuthCredentials } from '../../main/core/portal';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import type { SecretBox } from '../../main/core/storage/secret-box';
import { tempStorage } from '../harness/engine-harness';

const webhook = (name: string, code = `${name.toLowerCase()}code12345`): NewAccount => ({ name, auth: 'webhook', origin: `https://${name.toLowerCase()}.bitrix24.com`, webhookUserId: 3, code });
const oauth = (name: string): NewAccount => ({
  name,
  auth: 'oauth',
  origin: `https://${name.toLowerCase()}.bitrix24.de`,
  clientId: 'local.app',
  clientSecret: 'client-secret-xyz123',
  tokens: { accessToken: 'access-1-aaaaaa', refreshToken: 'refresh-1-bbbbbb', expiresAt: 1_000 },
});
const fileOf = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('portal colours', () => {
  it('each new portal gets the next free colour; a freed colour is used again first', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const a = await accounts.add(webhook('A'));
    const b = await accounts.add(webhook('B'));
    expect([a.color, b.color]).toEqual([PORTAL_COLORS[0], PORTAL_COLORS[1]]);
    accounts.remove(a.id);
    expect((await accounts.add(webhook('C'))).color).toBe(PORTAL_COLORS[0]);
  });

  it('when every colour is taken, colours go round by count', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    for (let index = 0; index < PORTAL_COLORS.length; index++) await accounts.add(webhook(`P${index}`));
    expect((await accounts.add(webhook('Extra1'))).color).toBe(PORTAL_COLORS[PORTAL_COLORS.length % PORTAL_COLORS.length]);
    expect((await accounts.add(webhook('Extra2'))).color).toBe(PORTAL_COLORS[(PORTAL_COLORS.length + 1) % PORTAL_COLORS.length]);
  });

  it('portals stored before colours existed get one by their place', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    await accounts.add(webhook('A'));
    await accounts.add(webhook('B'));
    const raw = fileOf(store.filePath) as { accounts: Record<string, unknown>[] };
    for (const account of raw.accounts) delete account['color'];
    writeFileSync(store.filePath, JSON.stringify(raw));
    expect(new AccountStore(store.open(), new ProcessSecretBox()).list().map((account) => account.color)).toEqual([PORTAL_COLORS[0], PORTAL_COLORS[1]]);
  });
});

describe('changes to a connected portal', () => {
  it('break-through categories are stored once each', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const account = await accounts.add(webhook('A'));
    expect(accounts.update(account.id, { breakThroughCategories: ['calendar|invite', 'calendar|invite', 'tasks|comment'] }).breakThroughCategories).toEqual(['calendar|invite', 'tasks|comment']);
    expect(accounts.get(account.id)!.breakThroughCategories).toEqual(['calendar|invite', 'tasks|comment']);
  });

  it('a portal that is gone says so in words, whatever the change', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const gone = { name: 'UnknownAccountIdError', message: 'That portal is not connected any more.' };
    expect(() => accounts.update('nope', { name: 'X' })).toThrow(expect.objectContaining(gone));
    await expect(accounts.replaceWebhook('nope', { origin: 'https://x.bitrix24.com', code: 'xcode12345' })).rejects.toMatchObject(gone);
    await expect(accounts.replaceOAuthTokens('nope', { accessToken: 'a', refreshToken: 'r' })).rejects.toMatchObject(gone);
    expect(accounts.list()).toEqual([]);
    // Nothing was sealed for a portal that is not there.
    expect(existsSync(store.filePath) ? Object.keys(fileOf(store.filePath)).filter((key) => key.includes('nope')) : []).toEqual([]);
  });

  it('reordering refuses a list that is not exactly the connected portals', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const a = await accounts.add(webhook('A'));
    const b = await accounts.add(webhook('B'));
    const changed = { name: 'UnknownAccountIdError', message: 'The portal list changed meanwhile; try again.' };
    for (const order of [[a.id], [a.id, a.id], [a.id, 'other'], [a.id, b.id, 'other']]) expect(() => accounts.reorder(order)).toThrow(expect.objectContaining(changed));
    expect(accounts.reorder([b.id, a.id]).map((account) => account.id)).toEqual([b.id, a.id]);
    expect(accounts.list().map((account) => account.id)).toEqual([b.id, a.id]);
  });

  it('an OAuth portal signed in again keeps its client secret and takes the new tokens and auth server', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const account = await accounts.add(oauth('Beta'));
    const same = await accounts.replaceOAuthTokens(account.id, { accessToken: 'access-2-cccccc', refreshToken: 'refresh-2-dddddd' });
    expect(same).toEqual(account);
    expect(await accounts.credentials(account.id)).toMatchObject({
      clientSecret: 'client-secret-xyz123',
      tokens: { accessToken: 'access-2-cccccc', refreshToken: 'refresh-2-dddddd' },
    });
    const moved = await accounts.replaceOAuthTokens(account.id, { accessToken: 'access-3-eeeeee', refreshToken: 'refresh-3-ffffff' }, 'https://oauth.bitrix24.tech/oauth/token/');
    expect(moved.tokenUrl).toBe('https://oauth.bitrix24.tech/oauth/token/');
    expect(accounts.get(account.id)!.tokenUrl).toBe('https://oauth.bitrix24.tech/oauth/token/');
    expect(readFileSync(store.filePath, 'utf8')).not.toContain('access-3-eeeeee');
  });

  it('a webhook portal cannot take OAuth tokens', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const account = await accounts.add(webhook('A'));
    await expect(accounts.replaceOAuthTokens(account.id, { accessToken: 'a', refreshToken: 'r' })).rejects.toMatchObject({
      name: 'SecretUnavailableError',
      message: 'The stored connection is incomplete. Reconnect the portal.',
    });
    expect(await accounts.credentials(account.id)).toMatchObject({ kind: 'webhook', code: 'acode12345' });
  });
});

describe('credentials', () => {
  it('an OAuth portal’s credentials carry its tokens, expiry and auth server, and remember a new auth server', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const account = await accounts.add({ ...oauth('Beta'), tokenUrl: 'https://oauth.bitrix.info/oauth/token/' } as NewAccount);
    const credentials = (await accounts.credentials(account.id)) as OAuthCredentials;
    expect(credentials).toMatchObject({
      kind: 'oauth',
      origin: 'https://beta.bitrix24.de',
      clientId: 'local.app',
      clientSecret: 'client-secret-xyz123',
      tokens: { accessToken: 'access-1-aaaaaa', refreshToken: 'refresh-1-bbbbbb', expiresAt: 1_000 },
      tokenUrl: 'https://oauth.bitrix.info/oauth/token/',
    });
    credentials.onTokenUrl?.('https://oauth.bitrix24.tech/oauth/token/');
    expect(accounts.get(account.id)!.tokenUrl).toBe('https://oauth.bitrix24.tech/oauth/token/');
  });

  it('an unknown account is named in the error', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    await expect(accounts.credentials('ghost')).rejects.toThrow('No account ghost');
  });

  it('stored parts that do not fit together ask for a reconnect', async () => {
    const store = tempStorage();
    const storage = store.open();
    const box = new ProcessSecretBox();
    const accounts = new AccountStore(storage, box);
    const hook = await accounts.add(webhook('A'));
    const app = await accounts.add(oauth('B'));
    // Swap the sealed secrets: a webhook account with OAuth secrets and the other way round.
    const hookSecret = storage.read(accountKey(hook.id, 'secret'), string())!;
    const appSecret = storage.read(accountKey(app.id, 'secret'), string())!;
    storage.write(accountKey(hook.id, 'secret'), string(), appSecret);
    storage.write(accountKey(app.id, 'secret'), string(), hookSecret);
    const incomplete = { name: 'SecretUnavailableError', message: 'The stored connection is incomplete. Reconnect the portal.' };
    await expect(accounts.credentials(hook.id)).rejects.toMatchObject(incomplete);
    await expect(accounts.credentials(app.id)).rejects.toMatchObject(incomplete);
  });

  it('a webhook account without its user, or an OAuth one without its client, asks for a reconnect', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const hook = await accounts.add(webhook('A'));
    const app = await accounts.add(oauth('B'));
    const raw = fileOf(store.filePath) as { accounts: Record<string, unknown>[] };
    delete raw.accounts[0]!['webhookUserId'];
    delete raw.accounts[1]!['clientId'];
    writeFileSync(store.filePath, JSON.stringify(raw));
    await expect(accounts.credentials(hook.id)).rejects.toBeInstanceOf(SecretUnavailableError);
    await expect(accounts.credentials(app.id)).rejects.toBeInstanceOf(SecretUnavailableError);
  });

  it('a missing secret, one that cannot be unlocked and a damaged one each say what happened', async () => {
    const store = tempStorage();
    const storage = store.open();
    let failOpen = false;
    const inner = new ProcessSecretBox();
    const box: SecretBox = {
      protection: 'os',
      seal: (plain) => inner.seal(plain),
      open: (sealed) => (failOpen ? Promise.reject(new Error('keychain says no')) : inner.open(sealed)),
    };
    const accounts = new AccountStore(storage, box);
    const account = await accounts.add(webhook('A'));

    failOpen = true;
    await expect(accounts.credentials(account.id)).rejects.toMatchObject({ name: 'SecretUnavailableError', message: 'The saved credentials cannot be unlocked on this computer any more. Reconnect the portal.' });
    failOpen = false;

    storage.write(accountKey(account.id, 'secret'), string(), await inner.seal(JSON.stringify({ auth: 'webhook' })));
    await expect(accounts.credentials(account.id)).rejects.toMatchObject({ message: 'The saved credentials are damaged. Reconnect the portal.' });

    storage.remove(accountKey(account.id, 'secret'));
    await expect(accounts.credentials(account.id)).rejects.toMatchObject({ message: 'The portal’s credentials are missing. Reconnect the portal.' });
  });

  it('a box that cannot tell about rotation never reseals', async () => {
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const account = await accounts.add(webhook('A'));
    const before = storage.read(accountKey(account.id, 'secret'), string());
    await accounts.credentials(account.id);
    await accounts.credentials(account.id);
    expect(storage.read(accountKey(account.id, 'secret'), string())).toBe(before);
  });

  it('seals a secret again only when the system asks (a rotated key), and a failed reseal waits for next time', async () => {
    const storage = tempStorage().open();
    const inner = new ProcessSecretBox();
    let reseal = false;
    let sealFails = false;
    const box: SecretBox = {
      protection: 'os',
      seal: (plain) => (sealFails ? Promise.reject(new Error('locked')) : inner.seal(plain)),
      open: () => Promise.reject(new Error('openChecked is used when there is one')),
      openChecked: async (sealed) => ({ plain: await inner.open(sealed), reseal }),
    };
    const accounts = new AccountStore(storage, box);
    const account = await accounts.add(webhook('A'));
    const sealed = (): string => storage.read(accountKey(account.id, 'secret'), string())!;
    const first = sealed();
    await accounts.credentials(account.id);
    expect(sealed()).toBe(first);
    reseal = true;
    await accounts.credentials(account.id);
    const second = sealed();
    expect(second).not.toBe(first);
    expect(await inner.open(second)).toBe(await inner.open(first));
    sealFails = true;
    await expect(accounts.credentials(account.id)).resolves.toMatchObject({ code: 'acode12345' });
    expect(sealed()).toBe(second);
  });
});

describe('errors', () => {
  it('carry their own names for the log', () => {
    expect(new UnknownAccountIdError('x').name).toBe('UnknownAccountIdError');
    expect(new SecretUnavailableError('x').name).toBe('SecretUnavailableError');
  });
});

describe('upgrading a single-portal configuration, at its edges', () => {
  it('a bare old URL (no outbox, no mark, no name) becomes an account named after its host', async () => {
    const store = tempStorage();
    store.open().write(LEGACY_KEYS.webhookUrl, string(), 'https://solo.bitrix24.com/rest/5/barecode12345/');
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const result = await migrateSinglePortalConfig(store.open(), accounts);
    expect(result).toMatchObject({ status: 'migrated', account: { name: 'solo.bitrix24.com', webhookUserId: 5 } });
    expect(Object.keys(fileOf(store.filePath)).sort()).toEqual(['accounts', accountKey((result as { account: { id: string } }).account.id, 'secret')].sort());
  });

  it('an account of another user, or on another portal, is not taken for the old one', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const otherUser = await accounts.add({ name: 'Solo 9', auth: 'webhook', origin: 'https://solo.bitrix24.com', webhookUserId: 9, code: 'user9code12345' });
    const otherPortal = await accounts.add({ name: 'Else', auth: 'webhook', origin: 'https://else.bitrix24.com', webhookUserId: 5, code: 'elsecode12345' });
    store.open().write(LEGACY_KEYS.webhookUrl, string(), 'https://solo.bitrix24.com/rest/5/solocode12345/');
    const result = await migrateSinglePortalConfig(store.open(), accounts);
    expect(result.status).toBe('migrated');
    const migrated = (result as { account: { id: string } }).account;
    expect([otherUser.id, otherPortal.id]).not.toContain(migrated.id);
    expect(accounts.list()).toHaveLength(3);
    await expect(accounts.credentials(migrated.id)).resolves.toMatchObject({ code: 'solocode12345', userId: 5, origin: 'https://solo.bitrix24.com' });
  });
});
