import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccountStore, SecretUnavailableError } from '../../main/core/accounts/account-store';
import { accountKey } from '../../main/core/accounts/keys';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import type { OAuthCredentials } from '../../main/core/portal';
import { tempStorage } from '../harness/engine-harness';

const CODE = 'webhooksecret7q2x';

describe('AccountStore', () => {
  it('stores a webhook account with its code sealed, never in plain text', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const account = await accounts.add({ name: 'Acme', auth: 'webhook', origin: 'https://acme.bitrix24.com', webhookUserId: 7, code: CODE });
    expect(readFileSync(store.filePath, 'utf8')).not.toContain(CODE);
    expect(accounts.list()).toEqual([expect.objectContaining({ id: account.id, name: 'Acme', auth: 'webhook', webhookUserId: 7 })]);
    await expect(accounts.credentials(account.id)).resolves.toEqual({ kind: 'webhook', origin: 'https://acme.bitrix24.com', userId: 7, code: CODE });
    // With another key (another computer, a reset keychain) the file alone opens nothing.
    const elsewhere = new AccountStore(store.open(), new ProcessSecretBox());
    await expect(elsewhere.credentials(account.id)).rejects.toBeInstanceOf(SecretUnavailableError);
  });

  it('seals rotated OAuth tokens again as they arrive', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const account = await accounts.add({
      name: 'Beta',
      auth: 'oauth',
      origin: 'https://beta.bitrix24.de',
      clientId: 'local.abc',
      clientSecret: 'clientsecret-123456',
      tokens: { accessToken: 'access-token-aaaaaa', refreshToken: 'refresh-token-bbbbbb' },
    });
    const credentials = (await accounts.credentials(account.id)) as OAuthCredentials;
    await credentials.onTokens({ accessToken: 'access-token-cccccc', refreshToken: 'refresh-token-dddddd' });
    const file = readFileSync(store.filePath, 'utf8');
    for (const secret of ['clientsecret-123456', 'access-token-aaaaaa', 'refresh-token-bbbbbb', 'access-token-cccccc', 'refresh-token-dddddd']) {
      expect(file).not.toContain(secret);
    }
    await expect(accounts.credentials(account.id)).resolves.toMatchObject({
      clientSecret: 'clientsecret-123456',
      tokens: { accessToken: 'access-token-cccccc', refreshToken: 'refresh-token-dddddd' },
    });
  });

  it('removes an account with its secret, outbox and marks, leaving the others', async () => {
    const store = tempStorage();
    const storage = store.open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const gone = await accounts.add({ name: 'Old', auth: 'webhook', origin: 'https://old.bitrix24.com', webhookUserId: 1, code: 'oldcode12345' });
    const kept = await accounts.add({ name: 'New', auth: 'webhook', origin: 'https://new.bitrix24.com', webhookUserId: 1, code: 'newcode12345' });
    storage.write(accountKey(gone.id, 'highWaterMark'), (await import('valibot')).number(), 42);
    accounts.remove(gone.id);
    expect(accounts.list().map((a) => a.id)).toEqual([kept.id]);
    const file = JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(file).filter((key) => key.includes(gone.id))).toEqual([]);
    await expect(accounts.credentials(gone.id)).rejects.toThrow();
    await expect(accounts.credentials(kept.id)).resolves.toMatchObject({ code: 'newcode12345' });
  });
});
