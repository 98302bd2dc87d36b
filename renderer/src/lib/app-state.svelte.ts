/**
 * The app's state as the window sees it. The window asks for the first screenful of each inbox,
 * paints it, then asks for the rest; after that main sends only numbered changes, applied here
 * (main/shared/state-messages.ts). A lost, late or malformed change makes it ask for the whole
 * state once.
 */
import type { HubSnapshot } from '../../../main/core/app/hub';
import { applyStateMessage, type WindowState } from '../../../main/shared/state-messages';
import { getApi } from '../api';

/** Items per portal in the first answer: more than a tall window shows. */
export const FIRST_SCREEN_ITEMS = 60;

class AppState {
  /** Replaced whole on every change, never mutated: raw state skips deep proxies over thousands of items. */
  snapshot = $state.raw<HubSnapshot | undefined>(undefined);
  /** On-premise avatars main fetched, as data: URLs (the CSP lets the window load no other host). */
  avatars = $state.raw<Readonly<Record<string, string>>>({});
  /** Why the window has no state (no api, or the first request failed). */
  problem = $state<string | undefined>(undefined);
  readonly api = getApi();
  #current: WindowState | undefined;
  #resyncing = false;

  async start(): Promise<() => void> {
    if (!this.api) {
      this.problem = 'outside-app';
      return () => undefined;
    }
    const stop = this.api.onStateChanged((message) => this.#apply(message));
    const first = await this.api.getState({ firstItems: FIRST_SCREEN_ITEMS });
    if (!first.ok) {
      this.problem = first.error.message;
      return stop;
    }
    this.#apply(first.value);
    // The rest after the first paint, so it never holds up the first screenful.
    if (this.#current?.partial) requestAnimationFrame(() => setTimeout(() => void this.#resync(), 0));
    return stop;
  }

  #apply(message: unknown): void {
    const next = applyStateMessage(this.#current, message);
    if (next === 'stale') return;
    if (next === 'resync') {
      void this.#resync();
      return;
    }
    this.#current = next;
    this.snapshot = next.snapshot;
    if (next.avatars !== this.avatars) this.avatars = next.avatars;
  }

  async #resync(): Promise<void> {
    if (this.#resyncing || !this.api) return;
    this.#resyncing = true;
    try {
      const full = await this.api.getState(null);
      if (full.ok) this.#apply(full.value);
    } finally {
      this.#resyncing = false;
    }
  }
}

export const appState = new AppState();
