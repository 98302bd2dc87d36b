/**
 * What the user reads and keeps when stored data is bad (issue 18's survivors in main/core/storage):
 * the exact notice for one or several records set aside, the message for each way the settings
 * file can be unusable, a list that is not a list, a key that is simply missing, the in-memory
 * fallback, and the deferred secret box that lets the tray start before the keyring answers.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DeferredSecretBox } from '../../main/core/storage/deferred-secret-box';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import type { SecretBox } from '../../main/core/storage/secret-box';
import { storageNotice } from '../../main/core/storage/storage-notice';
import { MemoryBackend, openRecovering, type StorageProblem } from '../../main/core/storage/storage';
import { tempStorage } from '../harness/engine-harness';

describe('the notice the window shows', () => {
  const setAside = (key: string, count: number, kept: number): StorageProblem => ({ key, keptAs: `unreadable:${key}:1`, setAside: count, kept, message: 'log line' });

  it('counts portals in the right number', () => {
    expect(storageNotice(setAside('accounts', 1, 1))).toBe(
      '1 saved portal could not be read and was set aside (kept in settings.json as “unreadable:accounts:1”); 1 other portal is fine. Connect the missing portal again in Settings.',
    );
    expect(storageNotice(setAside('accounts', 2, 3))).toBe(
      '2 saved portals could not be read and were set aside (kept in settings.json as “unreadable:accounts:1”); 3 other portals are fine. Connect the missing portal again in Settings.',
    );
  });

  it('counts unsent answers in the right number, for a portal outbox and the older single outbox', () => {
    expect(storageNotice(setAside('acc-1:outbox', 1, 1))).toBe(
      '1 unsent answer could not be read and was set aside (kept in settings.json as “unreadable:acc-1:outbox:1”); 1 other answer will still be sent. Answer that notification again if it is still waiting.',
    );
    expect(storageNotice(setAside('outbox', 3, 0))).toBe(
      '3 unsent answers could not be read and were set aside (kept in settings.json as “unreadable:outbox:1”); 0 other answers will still be sent. Answer that notification again if it is still waiting.',
    );
  });

  it('a whole value set aside names its key and says defaults are used', () => {
    // A whole `accounts` value (not a list at all) has no counts: it is not "N saved portals".
    expect(storageNotice({ key: 'accounts', keptAs: 'unreadable:accounts:5', message: 'log line' })).toBe(
      'Saved data (“accounts”) could not be read and was set aside (kept in settings.json as “unreadable:accounts:5”); B24 Notify uses defaults for it.',
    );
    expect(storageNotice({ key: 'settings', keptAs: 'unreadable:settings:5', message: 'log line' })).toMatch(/^Saved data \(“settings”\)/);
  });

  it('counts only for the list it is about: anything else set aside is named by its key', () => {
    expect(storageNotice({ key: 'acc-1:outbox', keptAs: 'unreadable:acc-1:outbox:1', message: 'log line' })).toMatch(/^Saved data \(“acc-1:outbox”\)/);
    expect(storageNotice({ key: 'outbox', keptAs: 'unreadable:outbox:1', message: 'log line' })).toMatch(/^Saved data \(“outbox”\)/);
    expect(storageNotice(setAside('acc-1:marks', 2, 1))).toMatch(/^Saved data \(“acc-1:marks”\)/);
  });

  it('a problem with the file itself is shown as its own message', () => {
    expect(storageNotice({ key: undefined, keptAs: '/x/settings.json.corrupt-1', message: 'The settings file was damaged.' })).toBe('The settings file was damaged.');
  });
});

describe('Storage reads', () => {
  const Item = v.object({ id: v.number() });

  it('a missing key is simply absent: nothing is reported', () => {
    const store = tempStorage();
    const storage = store.open();
    expect(storage.read('nothing', Item)).toBeUndefined();
    expect(storage.readList('nothing', Item)).toBeUndefined();
    expect(store.problems).toEqual([]);
  });

  it('a value that fails its schema is reported with the schema’s reason', () => {
    const store = tempStorage();
    writeFileSync(store.filePath, JSON.stringify({ item: { id: 'seven' } }));
    expect(store.open().read('item', Item)).toBeUndefined();
    expect(store.problems[0]!.message).toMatch(/^Stored “item” did not match its schema: .*id/);
  });

  it('a list with bad records says how many of how many, and why', () => {
    const store = tempStorage();
    writeFileSync(store.filePath, JSON.stringify({ items: [{ id: 1 }, { id: 'two' }, { id: 3 }, 'four'] }));
    expect(store.open().readList('items', Item)).toEqual([{ id: 1 }, { id: 3 }]);
    const [problem] = store.problems;
    expect(problem).toMatchObject({ key: 'items', setAside: 2, kept: 2 });
    // Each distinct reason once, apart.
    expect(problem!.message).toMatch(/^2 of 4 records in “items” did not match their schema and were set aside \(.*received "two".*at id; .*received "four".*\)$/s);
    expect(store.open().read(problem!.keptAs, v.unknown())).toEqual([{ id: 'two' }, 'four']);
  });

  it('a list that is not a list at all is set aside whole, and nothing is lost', () => {
    const store = tempStorage();
    writeFileSync(store.filePath, JSON.stringify({ items: { id: 1 } }));
    expect(store.open().readList('items', Item)).toBeUndefined();
    expect(store.problems).toEqual([expect.objectContaining({ key: 'items', message: expect.stringMatching(/^Stored “items” did not match its schema/) })]);
    expect(store.open().read(store.problems[0]!.keptAs, v.unknown())).toEqual({ id: 1 });
  });

  it('remove forgets a key', () => {
    const store = tempStorage();
    const storage = store.open();
    storage.write('item', Item, { id: 1 });
    storage.remove('item');
    expect(store.open().read('item', Item)).toBeUndefined();
  });
});

describe('the in-memory fallback', () => {
  it('keeps values apart from the caller’s objects, and forgets deleted keys', () => {
    const backend = new MemoryBackend();
    const value = { list: [1] };
    backend.set('k', value);
    value.list.push(2);
    const read = backend.get('k') as { list: number[] };
    read.list.push(3);
    expect(backend.get('k')).toEqual({ list: [1] });
    backend.delete('k');
    expect(backend.has('k')).toBe(false);
    expect(backend.get('k')).toBeUndefined();
  });
});

describe('openRecovering: every unusable file gets its own message', () => {
  const place = () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24-recover-'));
    const problems: StorageProblem[] = [];
    return { dir, filePath: join(dir, 'settings.json'), problems, report: (problem: StorageProblem) => void problems.push(problem) };
  };
  const coded = (code: unknown): Error => Object.assign(new Error(`failed with ${String(code)}`), { code });

  it('a missing file is simply created, with nothing to report', () => {
    const at = place();
    const backend = new MemoryBackend();
    expect(openRecovering({ ...at, create: () => backend })).toBe(backend);
    expect(at.problems).toEqual([]);
  });

  it('a folder in its place: "is not a regular file"', () => {
    const at = place();
    mkdirSync(at.filePath);
    openRecovering({ ...at, create: () => new MemoryBackend(), now: () => 42 });
    expect(at.problems).toEqual([{ key: undefined, keptAs: `${at.filePath}.unusable-42`, message: 'The settings file is not a regular file; it was moved aside and a new one started with default settings.' }]);
  });

  it('a link loop cannot even be looked at: "cannot be opened"', () => {
    const at = place();
    symlinkSync(at.filePath + '.b', at.filePath);
    symlinkSync(at.filePath, at.filePath + '.b');
    const backend = new MemoryBackend();
    expect(openRecovering({ ...at, create: () => backend, now: () => 7 })).toBe(backend);
    expect(at.problems).toEqual([{ key: undefined, keptAs: `${at.filePath}.unusable-7`, message: 'The settings file cannot be opened; it was moved aside and a new one started with default settings.' }]);
  });

  it('a path that cannot be opened nor moved: runs in memory and says so', () => {
    const at = place();
    writeFileSync(join(at.dir, 'file'), 'x');
    const filePath = join(at.dir, 'file', 'settings.json'); // ENOTDIR: a file where a folder should be
    const backend = openRecovering({ filePath, report: at.report, create: () => { throw new Error('must not be opened'); } });
    expect(backend).toBeInstanceOf(MemoryBackend);
    expect(at.problems).toEqual([{ key: undefined, keptAs: filePath, message: 'The settings file cannot be opened and could not be moved aside; B24 Notify runs on default settings and cannot keep changes until it is fixed.' }]);
  });

  it('a file the library refuses to read (EACCES) is moved aside and a new one started', () => {
    const at = place();
    writeFileSync(at.filePath, '{}');
    const fresh = new MemoryBackend();
    let calls = 0;
    const backend = openRecovering({ ...at, now: () => 9, create: () => (++calls === 1 ? (() => { throw coded('EACCES'); })() : fresh) });
    expect(backend).toBe(fresh);
    expect(at.problems).toEqual([{ key: undefined, keptAs: `${at.filePath}.unusable-9`, message: 'The settings file could not be read (EACCES); it was moved aside and a new one started with default settings.' }]);
    expect(readFileSync(`${at.filePath}.unusable-9`, 'utf8')).toBe('{}');
  });

  it('when the fresh file fails too, it runs in memory and says why', () => {
    const at = place();
    writeFileSync(at.filePath, '{}');
    const backend = openRecovering({ ...at, now: () => 9, create: () => { throw coded('EPERM'); } });
    expect(backend).toBeInstanceOf(MemoryBackend);
    expect(at.problems.map((problem) => problem.message)).toEqual([
      'The settings file could not be read (EPERM); it was moved aside and a new one started with default settings.',
      'The settings file could not be read (EPERM) and could not be moved aside; B24 Notify runs on default settings and cannot keep changes until it is fixed.',
    ]);
  });

  it('an unusable file that cannot be moved aside: runs in memory', () => {
    const at = place();
    const backend = openRecovering({ ...at, create: () => { throw coded('EISDIR'); } }); // no file: nothing to move
    expect(backend).toBeInstanceOf(MemoryBackend);
    expect(at.problems.map((problem) => problem.message)).toEqual(['The settings file could not be read (EISDIR) and could not be moved aside; B24 Notify runs on default settings and cannot keep changes until it is fixed.']);
  });

  it('a damaged file that cannot be moved aside: runs in memory', () => {
    // A procfs file: a regular file the kernel will not rename.
    const problems: StorageProblem[] = [];
    const backend = openRecovering({ filePath: '/proc/self/cmdline', report: (problem) => problems.push(problem), create: () => { throw new SyntaxError('Unexpected token'); } });
    expect(backend).toBeInstanceOf(MemoryBackend);
    expect(problems.map((problem) => problem.message)).toEqual(['The settings file is damaged and could not be moved aside; B24 Notify runs on default settings and cannot keep changes until it is fixed.']);
  });

  it('a damaged file that is still damaged after the move is not hidden', () => {
    const at = place();
    writeFileSync(at.filePath, '{oops');
    expect(() => openRecovering({ ...at, now: () => 3, create: () => { throw new SyntaxError('Unexpected token o'); } })).toThrow(SyntaxError);
    expect(at.problems).toEqual([{ key: undefined, keptAs: `${at.filePath}.corrupt-3`, message: 'The settings file was damaged (Unexpected token o); it was moved aside and a new one started.' }]);
  });

  it('other errors are not guessed at: they reach the caller and the file stays', () => {
    const at = place();
    writeFileSync(at.filePath, '{}');
    for (const thrown of [coded('EIO'), coded(13), 'EACCES', null, undefined, new Error('no code')]) {
      let caught: unknown = 'nothing thrown';
      try {
        openRecovering({ ...at, create: () => { throw thrown; } });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown); // the very error, not another one raised while looking at it
    }
    expect(readdirSync(at.dir)).toEqual(['settings.json']);
    expect(at.problems).toEqual([]);
  });

  it('a syntax error with no file behind it is not a damaged file', () => {
    const at = place();
    expect(() => openRecovering({ ...at, create: () => { throw new SyntaxError('bad'); } })).toThrow(SyntaxError);
    expect(at.problems).toEqual([]);
  });
});

describe('the deferred secret box', () => {
  const later = (): { promise: Promise<SecretBox>; resolve: (box: SecretBox) => void; reject: (error: Error) => void } => {
    let resolve!: (box: SecretBox) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<SecretBox>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };

  it('is "pending" until the system answers, then seals and opens with the real box', async () => {
    const real = later();
    const box = new DeferredSecretBox(real.promise);
    expect(box.protection).toBe('pending');
    const sealing = box.seal('секрет code');
    const inner = new ProcessSecretBox();
    real.resolve(inner);
    expect(await box.ready()).toBe(inner);
    expect(box.protection).toBe('process-memory');
    const sealed = await sealing;
    expect(await inner.open(sealed)).toBe('секрет code');
    expect(await box.open(sealed)).toBe('секрет code');
    // A box without openChecked never asks to reseal.
    expect(await box.openChecked(sealed)).toEqual({ plain: 'секрет code', reseal: false });
  });

  it('passes on the real box’s request to seal again', async () => {
    const inner: SecretBox = { protection: 'os', seal: async (plain) => plain, open: async (sealed) => sealed, openChecked: async (sealed) => ({ plain: sealed, reseal: true }) };
    expect(await new DeferredSecretBox(Promise.resolve(inner)).openChecked('s')).toEqual({ plain: 's', reseal: true });
  });

  it('when there is no box, sealing and opening fail with its reason, and nothing else sees it', async () => {
    const real = later();
    const box = new DeferredSecretBox(real.promise);
    real.reject(new Error('no keyring'));
    await expect(box.seal('x')).rejects.toThrow('no keyring');
    await expect(box.open('x')).rejects.toThrow('no keyring');
    await expect(box.openChecked('x')).rejects.toThrow('no keyring');
    expect(box.protection).toBe('pending');
  });
});
