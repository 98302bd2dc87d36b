/**
 * The window as it follows a StateFeed (issue 15): applies every message through JSON (as IPC
 * carries it) with main/shared/state-messages.ts, and asks for the full state when told to.
 */
import type { StateFeed } from '../../main/core/app/state-feed';
import { applyStateMessage, type StateMessage, type WindowState } from '../../main/shared/state-messages';

export interface FedWindow {
  state: () => WindowState;
  messages: StateMessage[];
  resyncs: number;
}

export function windowOf(feed: StateFeed): FedWindow {
  const messages: StateMessage[] = [];
  let current: WindowState | undefined;
  const view: FedWindow = { state: () => current!, messages, resyncs: 0 };
  const apply = (message: unknown): void => {
    const next = applyStateMessage(current, JSON.parse(JSON.stringify(message)));
    if (next === 'stale') return;
    if (next === 'resync') {
      view.resyncs += 1;
      apply(feed.full());
      return;
    }
    current = next;
  };
  feed.onMessage((message) => {
    messages.push(message);
    apply(message);
  });
  apply(feed.full());
  return view;
}
