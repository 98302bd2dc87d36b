/**
 * The inbox as the engine holds it: items by id, the display order kept until something changes,
 * and which items changed since the window was last told (so it gets changes, not the whole inbox).
 */
import { compareInbox, type ActionState, type InboxItem } from './state';

/** Which inbox items changed since the last `takeChange` (both empty: counters or connection only). */
export interface InboxChange {
  put: readonly number[];
  removed: readonly number[];
}

export class InboxStore {
  readonly #items = new Map<number, InboxItem>();
  /** The inbox in display order, kept until the inbox changes: state is read on every event. */
  #sorted: InboxItem[] | undefined;
  /** When each answered item's result was recorded, to keep it visible for a while. */
  readonly settledAt = new Map<number, number>();
  readonly #changed = new Set<number>();
  readonly #removed = new Set<number>();

  get items(): ReadonlyMap<number, InboxItem> {
    return this.#items;
  }

  get sorted(): InboxItem[] {
    return (this.#sorted ??= [...this.#items.values()].sort(compareInbox));
  }

  get(id: number): InboxItem | undefined {
    return this.#items.get(id);
  }

  put(item: InboxItem): void {
    this.#items.set(item.id, item);
    this.#changed.add(item.id);
    this.#removed.delete(item.id);
    this.#sorted = undefined;
  }

  drop(id: number): void {
    if (!this.#items.delete(id)) return;
    this.settledAt.delete(id);
    this.#changed.delete(id);
    this.#removed.add(id);
    this.#sorted = undefined;
  }

  setAction(id: number, action: ActionState): void {
    const item = this.#items.get(id);
    if (item) this.put({ ...item, action });
  }

  takeChange(): InboxChange {
    const change: InboxChange = { put: [...this.#changed], removed: [...this.#removed] };
    this.#changed.clear();
    this.#removed.clear();
    return change;
  }
}
