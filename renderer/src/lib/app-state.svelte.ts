/** The app's state as the window sees it: the latest snapshot pushed by main, and the api. */
import type { HubSnapshot } from '../../../main/core/app/hub';
import { getApi } from '../api';

class AppState {
  /** Replaced whole on every push, never mutated: raw state skips deep proxies over thousands of items. */
  snapshot = $state.raw<HubSnapshot | undefined>(undefined);
  /** Why the window has no state (no api, or the first request failed). */
  problem = $state<string | undefined>(undefined);
  readonly api = getApi();

  async start(): Promise<() => void> {
    if (!this.api) {
      this.problem = 'outside-app';
      return () => undefined;
    }
    const stop = this.api.onStateChanged((snapshot) => (this.snapshot = snapshot));
    const first = await this.api.getState();
    if (first.ok) this.snapshot ??= first.value;
    else this.problem = first.error.message;
    return stop;
  }
}

export const appState = new AppState();
