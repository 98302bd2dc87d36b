import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from '../../main/core/settings/settings';
import { tempStorage } from '../harness/engine-harness';

const Counter = v.object({ count: v.pipe(v.number(), v.integer()) });

describe('Storage', () => {
  it('reads back what it wrote, across a reopen', () => {
    const store = tempStorage();
    store.open().write('counter', Counter, { count: 3 });
    expect(store.open().read('counter', Counter)).toEqual({ count: 3 });
    expect(JSON.parse(readFileSync(store.filePath, 'utf8'))).toEqual({ counter: { count: 3 } });
  });

  it('refuses to write a value that fails its schema, leaving the stored one intact', () => {
    const store = tempStorage();
    const storage = store.open();
    storage.write('counter', Counter, { count: 1 });
    expect(() => storage.write('counter', Counter, { count: 1.5 })).toThrow();
    expect(storage.read('counter', Counter)).toEqual({ count: 1 });
  });

  it('keeps a value that no longer matches its schema aside and reports it', () => {
    const store = tempStorage();
    writeFileSync(store.filePath, JSON.stringify({ counter: { count: 'many' } }));
    const storage = store.open();
    expect(storage.read('counter', Counter)).toBeUndefined();
    expect(store.problems).toEqual([expect.objectContaining({ key: 'counter', keptAs: expect.stringMatching(/^unreadable:counter:/) })]);
    const onDisk = JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>;
    expect(Object.values(onDisk)).toEqual([{ count: 'many' }]);
  });

  it('moves a damaged file aside, reports it, and starts a fresh one', () => {
    const store = tempStorage();
    writeFileSync(store.filePath, '{"counter": {"count": 3}, oops');
    const storage = store.open();
    expect(storage.read('counter', Counter)).toBeUndefined();
    expect(store.problems).toEqual([expect.objectContaining({ key: undefined, message: expect.stringMatching(/damaged/) })]);
    const kept = readdirSync(store.dir).find((name) => name.startsWith('settings.json.corrupt-'));
    expect(kept).toBeDefined();
    expect(readFileSync(`${store.dir}/${kept}`, 'utf8')).toBe('{"counter": {"count": 3}, oops');
    storage.write('counter', Counter, { count: 4 });
    expect(existsSync(store.filePath)).toBe(true);
    expect(store.open().read('counter', Counter)).toEqual({ count: 4 });
  });
});

describe('SettingsStore', () => {
  it('starts from defaults, persists updates, and survives a stored value that no longer fits', () => {
    const store = tempStorage();
    expect(new SettingsStore(store.open()).current).toEqual(DEFAULT_SETTINGS);
    new SettingsStore(store.open()).update({ sound: true, doNotDisturb: { mode: 'schedule', fromMinute: 1320, toMinute: 420 } });
    // The older single daily period is read back as the same period on every weekday (issue 17).
    expect(new SettingsStore(store.open()).current).toMatchObject({
      sound: true,
      doNotDisturb: { mode: 'weekly', periods: [{ days: [0, 1, 2, 3, 4, 5, 6], fromMinute: 1320, toMinute: 420 }] },
      pollIntervalMs: 30_000,
    });
    expect(() => new SettingsStore(store.open()).update({ pollIntervalMs: 1_000 })).toThrow();
    writeFileSync(store.filePath, JSON.stringify({ settings: { sound: 'loud' } }));
    expect(new SettingsStore(store.open()).current).toEqual(DEFAULT_SETTINGS);
    expect(store.problems).toEqual([expect.objectContaining({ key: 'settings' })]);
  });
});
