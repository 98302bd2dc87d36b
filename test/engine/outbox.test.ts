/**
 * The durable outbox (engine/outbox.ts): what is written survives a restart, each change is on
 * disk before it is believed, an emptied outbox leaves no key behind, and a write the schema
 * refuses leaves memory as it was on disk.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry } from '../../main/core/engine/outbox';
import { tempStorage } from '../harness/engine-harness';

const entry = (actionId: string, notificationId: number): OutboxEntry => ({ actionId, kind: 'confirm', notificationId, value: 'Y', createdAt: 1, attempts: 0, phase: 'pending' });

describe('Outbox', () => {
  it('keeps entries across a restart, finds them by notification, updates and removes by action', () => {
    const store = tempStorage();
    const outbox = new Outbox(store.open(), 'acc:outbox');
    outbox.add(entry('a1', 10));
    outbox.add(entry('a2', 20));
    outbox.update('a2', { phase: 'sent', attempts: 1 });
    const again = new Outbox(store.open(), 'acc:outbox');
    expect(again.entries).toEqual([entry('a1', 10), { ...entry('a2', 20), phase: 'sent', attempts: 1 }]);
    expect(again.find(20)?.actionId).toBe('a2');
    expect(again.find(30)).toBeUndefined();
    again.remove('a1');
    expect(new Outbox(store.open(), 'acc:outbox').entries.map((item) => item.actionId)).toEqual(['a2']);
  });

  it('an emptied outbox leaves no key in the settings file', () => {
    const store = tempStorage();
    const outbox = new Outbox(store.open(), 'acc:outbox');
    outbox.add(entry('a1', 10));
    outbox.remove('a1');
    expect(outbox.entries).toEqual([]);
    expect(store.open().read('acc:outbox', v.unknown())).toBeUndefined();
  });

  it('a write the schema refuses changes neither the disk nor what the outbox believes', () => {
    const store = tempStorage();
    const outbox = new Outbox(store.open(), 'acc:outbox');
    outbox.add(entry('a1', 10));
    expect(() => outbox.add({ ...entry('bad', 0) })).toThrow();
    expect(() => outbox.update('a1', { attempts: -1 })).toThrow();
    expect(outbox.entries).toEqual([entry('a1', 10)]);
    expect(new Outbox(store.open(), 'acc:outbox').entries).toEqual([entry('a1', 10)]);
  });
});
