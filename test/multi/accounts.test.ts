/**
 * Managing several portals in storage: names, colours, order, enabling, muted categories, and the
 * upgrade of a single-portal configuration from earlier versions with nothing lost.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AccountStore, PORTAL_COLORS, UnknownAccountIdError } from '../../main/core/accounts/account-store';
import { accountKey } from '../../main/core/accounts/keys';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import { LEGACY_KEYS, UNREADABLE_LEGACY_URL_KEY, migrateSinglePortalConfig } from '../../main/core/accounts/migrate';
import { OutboxEntrySchema, type OutboxEntry } from '../../main/core/engine/outbox';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { tempStorage } from '../harness/engine-harness';

const webhook = (name: string, code: string) => ({ name, auth: 'webhook' as const, origin: `https://${name.toLowerCase()}.bitrix24.com`, webhookUserId: 1, code });

describe('AccountStore: several portals', () => {
  it('gives each new portal its own colour, and renames, recolours, disables and mutes one without touching the others', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const acme = await accounts.add(webhook('Acme', 'acmecode12345'));
    const beta = await accounts.add(webhook('Beta', 'betacode12345'));
    expect([acme.color, beta.color]).toEqual([PORTAL_COLORS[0], PORTAL_COLORS[1]]);
    expect(acme).toMatchObject({ enabled: true, mutedCategories: [] });

    accounts.update(acme.id, { name: '  Acme HQ ', color: '#123abc', enabled: false, mutedCategories: ['tasks|comment', 'tasks|comment', 'calendar|invite'] });
    // A fresh store on the same file, as after a restart.
    const reopened = new AccountStore(store.open(), new ProcessSecretBox());
    expect(reopened.get(acme.id)).toMatchObject({ name: 'Acme HQ', color: '#123abc', enabled: false, mutedCategories: ['tasks|comment', 'calendar|invite'] });
    expect(reopened.get(beta.id)).toMatchObject({ name: 'Beta', color: PORTAL_COLORS[1], enabled: true, mutedCategories: [] });
  });

  it('refuses bad changes with a clear error and stores nothing of them', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const acme = await accounts.add(webhook('Acme', 'acmecode12345'));
    expect(() => accounts.update(acme.id, { name: '   ' })).toThrow(/name/i);
    expect(() => accounts.update(acme.id, { color: 'red' })).toThrow();
    expect(() => accounts.update(acme.id, { mutedCategories: ['no pipe here'] })).toThrow();
    expect(() => accounts.update('someone-else', { name: 'X' })).toThrow(UnknownAccountIdError);
    expect(accounts.get(acme.id)).toMatchObject({ name: 'Acme', mutedCategories: [] });
  });

  it('reorders only with a list that names every portal exactly once', async () => {
    const accounts = new AccountStore(tempStorage().open(), new ProcessSecretBox());
    const a = await accounts.add(webhook('A', 'aaaacode12345'));
    const b = await accounts.add(webhook('B', 'bbbbcode12345'));
    const c = await accounts.add(webhook('C', 'cccccode12345'));
    expect(accounts.reorder([c.id, a.id, b.id]).map((account) => account.name)).toEqual(['C', 'A', 'B']);
    expect(accounts.list().map((account) => account.name)).toEqual(['C', 'A', 'B']);
    expect(() => accounts.reorder([a.id, b.id])).toThrow(UnknownAccountIdError);
    expect(() => accounts.reorder([a.id, a.id, b.id])).toThrow(UnknownAccountIdError);
    expect(accounts.list().map((account) => account.name)).toEqual(['C', 'A', 'B']);
  });

  it('reads an account list stored before colours and switches existed', async () => {
    const store = tempStorage();
    const storage = store.open();
    storage.write('accounts', v.array(v.unknown()), [{ id: 'old1', name: 'Old', origin: 'https://old.bitrix24.com', auth: 'webhook', webhookUserId: 3 }]);
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    expect(accounts.list()).toEqual([expect.objectContaining({ id: 'old1', name: 'Old', color: PORTAL_COLORS[0], enabled: true, mutedCategories: [] })]);
  });
});

describe('AccountsService', () => {
  it('does not start a portal turned off or removed while its secret was still being opened', async () => {
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const acme = await accounts.add(webhook('Acme', 'acmecode12345'));
    accounts.update(acme.id, { enabled: false });
    const hub = new NotificationHub();
    // The keychain answers only when the test says so (a locked keyring waits for the user).
    let openSecret!: () => void;
    const keychain = new Promise<void>((resolve) => (openSecret = resolve));
    const realFactory = engineFactory(accounts, storage);
    const portals = new AccountsService({ accounts, hub, storage, createEngine: async (account) => (await keychain, realFactory(account)) });

    const turningOn = portals.update(acme.id, { enabled: true });
    await portals.update(acme.id, { enabled: false });
    openSecret();
    await turningOn;
    expect(hub.has(acme.id)).toBe(false);

    const beta = await accounts.add(webhook('Beta', 'betacode12345'));
    let openBeta!: () => void;
    const betaKeychain = new Promise<void>((resolve) => (openBeta = resolve));
    const slow = new AccountsService({ accounts, hub, storage, createEngine: async (account) => (await betaKeychain, realFactory(account)) });
    const starting = slow.start(beta);
    await slow.remove(beta.id);
    openBeta();
    await expect(starting).resolves.toBe(false);
    expect(hub.has(beta.id)).toBe(false);
  });
});

describe('migrating a single-portal configuration', () => {
  const LEGACY_CODE = 'legacycode98765';
  const legacyUrl = `https://solo.bitrix24.com/rest/5/${LEGACY_CODE}/`;
  const pendingConfirm: OutboxEntry = { actionId: 'a1', kind: 'confirm', notificationId: 77, value: 'Y', createdAt: 1, attempts: 1, phase: 'sent' };
  const pendingAnswer: OutboxEntry = { actionId: 'a2', kind: 'answer', notificationId: 78, value: 'On my way', createdAt: 2, attempts: 0, phase: 'pending' };

  function legacyStore() {
    const store = tempStorage();
    const storage = store.open();
    storage.write(LEGACY_KEYS.webhookUrl, v.string(), legacyUrl);
    storage.write(LEGACY_KEYS.outbox, v.array(OutboxEntrySchema), [pendingConfirm, pendingAnswer]);
    storage.write(LEGACY_KEYS.highWaterMark, v.number(), 1234);
    storage.write(LEGACY_KEYS.portalName, v.string(), 'Solo');
    return store;
  }

  it('becomes the first account: code sealed, outbox and high-water mark kept, plain-text URL gone', async () => {
    const store = legacyStore();
    const secretBox = new ProcessSecretBox();
    const accounts = new AccountStore(store.open(), secretBox);
    const result = await migrateSinglePortalConfig(store.open(), accounts);
    expect(result.status).toBe('migrated');
    const account = result.status === 'migrated' ? result.account : undefined;
    expect(accounts.list()).toEqual([expect.objectContaining({ id: account?.id, name: 'Solo', origin: 'https://solo.bitrix24.com', webhookUserId: 5 })]);
    await expect(accounts.credentials(account!.id)).resolves.toMatchObject({ kind: 'webhook', code: LEGACY_CODE, userId: 5 });

    const storage = store.open();
    expect(storage.read(accountKey(account!.id, 'outbox'), v.array(OutboxEntrySchema))).toEqual([pendingConfirm, pendingAnswer]);
    expect(storage.read(accountKey(account!.id, 'highWaterMark'), v.number())).toBe(1234);
    const file = readFileSync(store.filePath, 'utf8');
    expect(file).not.toContain(LEGACY_CODE);
    const keys = Object.keys(JSON.parse(file) as object);
    for (const legacy of Object.values(LEGACY_KEYS)) expect(keys).not.toContain(legacy);

    // Running it again (every start does) changes nothing.
    await expect(migrateSinglePortalConfig(store.open(), accounts)).resolves.toEqual({ status: 'nothing-to-migrate' });
    expect(accounts.list()).toHaveLength(1);
  });

  it('finishes the job after a crash midway without a second account or a lost answer', async () => {
    const store = legacyStore();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    // The crash: the account was added and half the outbox moved, then the app died.
    const first = await accounts.add({ name: 'Solo', auth: 'webhook', origin: 'https://solo.bitrix24.com', webhookUserId: 5, code: LEGACY_CODE });
    store.open().write(accountKey(first.id, 'outbox'), v.array(OutboxEntrySchema), [pendingConfirm]);

    const result = await migrateSinglePortalConfig(store.open(), accounts);
    expect(result).toMatchObject({ status: 'migrated', account: { id: first.id } });
    expect(accounts.list()).toHaveLength(1);
    expect(store.open().read(accountKey(first.id, 'outbox'), v.array(OutboxEntrySchema))).toEqual([pendingConfirm, pendingAnswer]);
  });

  it('deletes an unreadable old URL (it may hold a webhook code in clear) and says to connect again', async () => {
    const store = tempStorage();
    store.open().write(LEGACY_KEYS.webhookUrl, v.string(), 'ftp://solo.bitrix24.com/rest/5/oldcleartextcode/');
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const result = await migrateSinglePortalConfig(store.open(), accounts);
    expect(result).toMatchObject({ status: 'unreadable', message: expect.stringMatching(/connect the portal again/i) });
    expect(store.open().read(UNREADABLE_LEGACY_URL_KEY, v.string())).toBeUndefined();
    expect(readFileSync(store.filePath, 'utf8')).not.toContain('oldcleartextcode');
    expect(accounts.list()).toEqual([]);
  });
});
