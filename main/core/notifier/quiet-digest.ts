/**
 * What arrived during quiet time (do-not-disturb, the system's own), told once when it ends
 * (issue 17): one popup "While you were away" with, per portal, how many of each kind, instead of
 * every popup at once or none. Only what still waits counts: an item answered, read, deleted or
 * snoozed meanwhile is left out. Pure bookkeeping; the presenter decides when quiet time ended.
 */
import * as v from 'valibot';
import type { HubSnapshot } from '../app/hub';
import type { InboxItem } from '../engine/state';
import type { Storage } from '../storage/storage';

export const DIGEST_KEY = 'digest';
/** What waits for the digest, kept across a restart during quiet time (those items will not pop up again). */
const HELD_KEY = 'digest:held';
const HeldSchema = v.pipe(v.array(v.strictObject({ accountId: v.string(), notificationId: v.pipe(v.number(), v.integer(), v.minValue(1)) })), v.maxLength(5_000));

interface Held {
  accountId: string;
  notificationId: number;
}

export interface Digest {
  title: string;
  body: string;
  /** The first item (a confirm first): clicking the digest opens the window there. */
  first: Held;
}

/** Plural nouns for what a category ("module|event") is about; the rest count as notifications. */
const KINDS: [test: RegExp, one: string, other: string][] = [
  [/invite|invitation/i, 'invitation', 'invitations'],
  [/comment/i, 'comment', 'comments'],
  [/mention/i, 'mention', 'mentions'],
  [/^tasks\|/i, 'task update', 'task updates'],
];

function kindOf(item: InboxItem): [one: string, other: string] {
  for (const [test, one, other] of KINDS) if (test.test(item.settingName)) return [one, other];
  return item.kind === 'confirm' ? ['request for your answer', 'requests for your answer'] : ['notification', 'notifications'];
}

export class QuietDigest {
  #held: Held[];
  readonly #storage: Storage | undefined;

  constructor(storage?: Storage) {
    this.#storage = storage;
    this.#held = storage?.read(HELD_KEY, HeldSchema) ?? [];
  }

  #save(): void {
    if (!this.#storage) return;
    if (this.#held.length === 0) this.#storage.remove(HELD_KEY);
    else this.#storage.write(HELD_KEY, HeldSchema, this.#held.slice(-5_000));
  }

  get size(): number {
    return this.#held.length;
  }

  hold(accountId: string, items: readonly InboxItem[]): void {
    for (const item of items) if (!this.#held.some((held) => held.accountId === accountId && held.notificationId === item.id)) this.#held.push({ accountId, notificationId: item.id });
    this.#save();
  }

  /** Empties the digest; undefined when nothing held still waits for the person. */
  take(snapshot: HubSnapshot): Digest | undefined {
    const held = this.#held;
    this.#held = [];
    this.#save();
    const lines: string[] = [];
    let first: { held: Held; confirm: boolean } | undefined;
    const severalPortals = snapshot.accounts.length > 1;
    for (const account of snapshot.accounts) {
      const ids = new Set(held.filter((entry) => entry.accountId === account.accountId).map((entry) => entry.notificationId));
      if (ids.size === 0) continue;
      const waiting = account.state.inbox.filter(
        (item) => ids.has(item.id) && account.snoozed?.[item.id] === undefined && !item.read && item.action?.status !== 'done',
      );
      if (waiting.length === 0) continue;
      const counts = new Map<string, { one: string; other: string; n: number; confirm: boolean }>();
      for (const item of waiting) {
        const [one, other] = kindOf(item);
        const entry = counts.get(other) ?? { one, other, n: 0, confirm: item.kind === 'confirm' };
        entry.n += 1;
        counts.set(other, entry);
        const confirm = item.kind === 'confirm';
        if (!first || (confirm && !first.confirm)) first = { held: { accountId: account.accountId, notificationId: item.id }, confirm };
      }
      // What needs an answer first, then the larger groups.
      const parts = [...counts.values()].sort((a, b) => Number(b.confirm) - Number(a.confirm) || b.n - a.n).map((entry) => `${entry.n} ${entry.n === 1 ? entry.one : entry.other}`);
      lines.push(severalPortals ? `${account.name}: ${parts.join(', ')}` : parts.join(', '));
    }
    if (!first) return undefined;
    return { title: 'While you were away', body: lines.join('\n'), first: first.held };
  }
}
