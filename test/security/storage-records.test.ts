/**
 * Issue 13 §2: storage keeps every good record. Each case damages the settings file the way a
 * crash, a bad sync tool, another local process or an older/newer version could, then checks
 * that what was good survives, what was bad is kept aside (not lost, not trusted), and the user
 * is told in words (the notice the window shows), not only in the log.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { accountKey } from '../../main/core/accounts/keys';
import { LEGACY_KEYS, migrateSinglePortalConfig } from '../../main/core/accounts/migrate';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import { OutboxEntrySchema, type OutboxEntry } from '../../main/core/engine/outbox';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { storageNotice } from '../../main/core/storage/storage-notice';
import { Storage, openRecovering, type StorageProblem } from '../../main/core/storage/storage';
import { tempStorage } from '../harness/engine-harness';
import { startPortalSim, type PortalSim } from '../portal-sim';
import Conf from 'conf';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

const webhook = (name: string, code: string) => ({ name, auth: 'webhook' as const, origin: `https://${name.toLowerCase()}.bitrix24.com`, webhookUserId: 1, code });

describe('one bad record does not take the good ones with it', () => {
  it('a malformed portal entry hides only itself; the others stay, and the window is told', async () => {
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const acme = await accounts.add(webhook('Acme', 'acmecode12345'));
    const beta = await accounts.add(webhook('Beta', 'betacode12345'));
    // Damage: a third entry written by something else, with a bad id and no origin.
    const raw = JSON.parse(readFileSync(store.filePath, 'utf8')) as { accounts: unknown[] };
    raw.accounts.splice(1, 0, { id: '../../etc', name: 42, auth: 'carrier-pigeon' });
    writeFileSync(store.filePath, JSON.stringify(raw));

    const reopened = new AccountStore(store.open(), new ProcessSecretBox());
    expect(reopened.list().map((account) => account.id)).toEqual([acme.id, beta.id]);
    const problem = store.problems.at(-1)!;
    expect(problem).toMatchObject({ key: 'accounts', setAside: 1, kept: 2, keptAs: expect.stringMatching(/^unreadable:accounts:/) });
    // Kept aside, not lost: the bad record is still in the file under its own key.
    expect(store.open().read(problem.keptAs, v.array(v.unknown()))).toEqual([{ id: '../../etc', name: 42, auth: 'carrier-pigeon' }]);
    expect(storageNotice(problem)).toMatch(/1 saved portal could not be read.*2 other portals are fine/);
    // Reported once: the list is clean now.
    const count = store.problems.length;
    reopened.list();
    expect(store.problems).toHaveLength(count);
  });

  it('a malformed outbox entry sets aside only itself: the valid pending confirm beside it still reaches the portal', async () => {
    const sim: PortalSim = await startPortalSim({ webhookCode: 'outboxcode12345' });
    open.push(sim);
    const item = sim.addConfirm({ text: 'Join the group?', tag: 'GROUP|7' });
    const store = tempStorage();
    const storage = store.open();
    const secretBox = new ProcessSecretBox();
    const accounts = new AccountStore(storage, secretBox);
    const account = await accounts.add({ name: 'Sim', auth: 'webhook', origin: sim.origin, webhookUserId: sim.userId, code: sim.webhookCode });
    const pending: OutboxEntry = { actionId: 'a-good', kind: 'confirm', notificationId: item.id, value: 'Y', createdAt: Date.now(), attempts: 0, phase: 'pending' };
    // Written raw, as a damaged file would hold it: the schema would refuse the bad entry on write.
    const raw = JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>;
    raw[accountKey(account.id, 'outbox')] = [{ actionId: 'a-bad', kind: 'confirm', notificationId: -3, value: null }, pending];
    writeFileSync(store.filePath, JSON.stringify(raw));

    const reopened = store.open();
    const hub = new NotificationHub();
    open.push({ close: () => hub.stopAll() });
    const reopenedAccounts = new AccountStore(reopened, secretBox);
    const portals = new AccountsService({
      accounts: reopenedAccounts,
      hub,
      storage: reopened,
      createEngine: engineFactory(reopenedAccounts, reopened),
      onAccountError: (_id, error) => {
        throw error;
      },
    });
    const settled = new Promise<void>((resolve) => hub.on('actionSettled', (_id, notificationId) => notificationId === item.id && resolve()));
    await portals.start(reopenedAccounts.get(account.id)!);
    await settled;
    expect(sim.confirmLog.map((entry) => [entry.id, entry.value])).toEqual([[item.id, 'Y']]);
    const problem = store.problems.find((entry) => entry.key === accountKey(account.id, 'outbox'))!;
    expect(problem).toMatchObject({ setAside: 1, kept: 1 });
    expect(storageNotice(problem)).toMatch(/1 unsent answer could not be read.*1 other answer will still be sent/);
    expect(store.open().read(problem.keptAs, v.array(v.unknown()))).toEqual([{ actionId: 'a-bad', kind: 'confirm', notificationId: -3, value: null }]);
    expect(store.open().readList(accountKey(account.id, 'outbox'), OutboxEntrySchema) ?? []).toEqual([]);
  });
});

describe('a settings file that is not a usable file never stops start-up', () => {
  const fresh = (): { dir: string; filePath: string; problems: StorageProblem[]; open: () => Storage } => {
    const dir = mkdtempSync(join(tmpdir(), 'b24-badfile-'));
    const filePath = join(dir, 'settings.json');
    const problems: StorageProblem[] = [];
    const report = (problem: StorageProblem): void => void problems.push(problem);
    return {
      dir,
      filePath,
      problems,
      open: () => new Storage(openRecovering({ filePath, report, create: () => new Conf({ cwd: dir, configName: 'settings', accessPropertiesByDotNotation: false, clearInvalidConfig: false }) }), report),
    };
  };

  it('a folder named settings.json is moved aside and a fresh file started', () => {
    const place = fresh();
    mkdirSync(place.filePath);
    writeFileSync(join(place.filePath, 'keep-me.txt'), 'user data');
    const storage = place.open();
    storage.write('probe', v.number(), 1);
    expect(statSync(place.filePath).isFile()).toBe(true);
    expect(place.problems).toEqual([expect.objectContaining({ keptAs: expect.stringMatching(/settings\.json\.unusable-\d+$/) })]);
    expect(readFileSync(join(place.problems[0]!.keptAs, 'keep-me.txt'), 'utf8')).toBe('user data');
    expect(storageNotice(place.problems[0]!)).toMatch(/not a regular file; it was moved aside/);
  });

  it('a named pipe is never read (reading it would block start-up forever)', () => {
    const place = fresh();
    execFileSync('mkfifo', [place.filePath]);
    const storage = place.open();
    storage.write('probe', v.number(), 2);
    expect(statSync(place.filePath).isFile()).toBe(true);
    expect(readdirSync(place.dir).some((name) => name.startsWith('settings.json.unusable-'))).toBe(true);
  });

  it('a symbolic-link loop is moved aside', () => {
    const place = fresh();
    symlinkSync(place.filePath, place.filePath + '.b');
    symlinkSync(place.filePath + '.b', place.filePath);
    place.open().write('probe', v.number(), 3);
    expect(statSync(place.filePath).isFile()).toBe(true);
    expect(place.problems).toHaveLength(1);
  });

  it('when it cannot even be moved aside, the app runs on defaults in memory and says changes are not kept', () => {
    // A procfs folder: not a file, and the kernel refuses to rename it.
    const problems: StorageProblem[] = [];
    const backend = openRecovering({ filePath: '/proc/self/fd', report: (problem) => problems.push(problem), create: () => { throw new Error('must not be opened'); } });
    const storage = new Storage(backend, () => undefined);
    storage.write('probe', v.number(), 4);
    expect(storage.read('probe', v.number())).toBe(4);
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/runs on default settings and cannot keep changes/) })]);
    expect(existsSync('/proc/self/fd')).toBe(true);
  });
});

describe('no legacy credential stays in clear', () => {
  it('a legacy webhookUrl of the wrong type is deleted, not kept aside in clear', async () => {
    const store = tempStorage();
    const raw = { [LEGACY_KEYS.webhookUrl]: { url: 'https://solo.bitrix24.com/rest/5/typedwrongcode/' } };
    writeFileSync(store.filePath, JSON.stringify(raw));
    const accounts = new AccountStore(store.open(), new ProcessSecretBox());
    const result = await migrateSinglePortalConfig(store.open(), accounts);
    expect(result).toMatchObject({ status: 'unreadable' });
    expect(readFileSync(store.filePath, 'utf8')).not.toContain('typedwrongcode');
  });

  it('a URL an earlier version kept aside in clear is removed on start, and the user told', async () => {
    const store = tempStorage();
    writeFileSync(store.filePath, JSON.stringify({ 'legacy:unreadableWebhookUrl': 'htps://solo.bitrix24.com/rest/5/keptasidecode/' }));
    const result = await migrateSinglePortalConfig(store.open(), new AccountStore(store.open(), new ProcessSecretBox()));
    expect(result).toMatchObject({ status: 'unreadable', message: expect.stringMatching(/connect the portal again/i) });
    expect(readFileSync(store.filePath, 'utf8')).not.toContain('keptasidecode');
  });
});
