/**
 * The durable outbox: every user action is written here before its request, and leaves only when
 * the portal has given a definite answer. `phase` records whether the portal may already have it,
 * so a restart never re-sends a confirm that may have gone through (it verifies first).
 */
import * as v from 'valibot';
import type { Storage } from '../storage/storage';

export const OutboxEntrySchema = v.object({
  actionId: v.string(),
  kind: v.picklist(['confirm', 'answer']),
  notificationId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Button value for a confirm; reply text for an answer. */
  value: v.string(),
  createdAt: v.number(),
  attempts: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** `pending`: the portal certainly has not acted on it. `sent`: it may have. */
  phase: v.picklist(['pending', 'sent']),
});
export type OutboxEntry = v.InferOutput<typeof OutboxEntrySchema>;

const OutboxSchema = v.array(OutboxEntrySchema);

export class Outbox {
  #entries: OutboxEntry[];

  constructor(
    private readonly storage: Storage,
    private readonly key: string,
  ) {
    // Record by record: one damaged entry must not set aside every queued answer.
    this.#entries = storage.readList(key, OutboxEntrySchema) ?? [];
  }

  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  find(notificationId: number): OutboxEntry | undefined {
    return this.#entries.find((entry) => entry.notificationId === notificationId);
  }

  add(entry: OutboxEntry): void {
    this.#save([...this.#entries, entry]);
  }

  update(actionId: string, change: Partial<Pick<OutboxEntry, 'phase' | 'attempts'>>): void {
    this.#save(this.#entries.map((entry) => (entry.actionId === actionId ? { ...entry, ...change } : entry)));
  }

  remove(actionId: string): void {
    this.#save(this.#entries.filter((entry) => entry.actionId !== actionId));
  }

  /** Persist first, then believe it: a failed write leaves memory as it was on disk. */
  #save(next: OutboxEntry[]): void {
    if (next.length === 0) this.storage.remove(this.key);
    else this.storage.write(this.key, OutboxSchema, next);
    this.#entries = next;
  }
}
