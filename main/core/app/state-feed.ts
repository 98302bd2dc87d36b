/**
 * Feeds the window changes instead of whole snapshots (issue 15; the messages and how the window
 * applies them: main/shared/state-messages.ts). One feed per hub, shared by every way the window
 * is reached (Electron IPC, the preview's WebSocket), so the version numbers are one sequence.
 */
import { Emitter } from '../emitter';
import type { AccountInboxChange, HubSnapshot, NotificationHub } from './hub';
import type { AccountMeta, AvatarMap, InboxDelta, StateMessage } from '../../shared/state-messages';
import type { AvatarStore } from './avatar-store';

export class StateFeed {
  readonly #hub: NotificationHub;
  readonly #events: Emitter<{ message: [message: StateMessage] }>;
  #version = 0;
  /** Portals whose inbox has been sent whole (in a full state or a `replace`). */
  readonly #described = new Set<string>();

  readonly #avatars: AvatarStore | undefined;

  constructor(hub: NotificationHub, avatars?: AvatarStore, onListenerError?: (error: unknown) => void) {
    this.#hub = hub;
    this.#avatars = avatars;
    this.#events = new Emitter(onListenerError);
    hub.on('changed', (snapshot, inbox) => this.#onChanged(snapshot, inbox));
    avatars?.onAvatar((url, dataUrl) => this.#onChanged(hub.snapshot(), undefined, { [url]: dataUrl }));
  }

  onMessage(listener: (message: StateMessage) => void): () => void {
    return this.#events.on('message', listener);
  }

  /** The whole state at the current version; with `firstItems`, only that many items per portal. */
  full(firstItems?: number): Extract<StateMessage, { kind: 'full' }> {
    const snapshot = this.#hub.snapshot();
    for (const account of snapshot.accounts) this.#described.add(account.accountId);
    const avatars = this.#avatars?.all();
    const withAvatars = avatars && Object.keys(avatars).length > 0 ? { avatars } : {};
    if (firstItems === undefined) return { kind: 'full', version: this.#version, snapshot, ...withAvatars };
    const accounts = snapshot.accounts.map((account) => ({ ...account, state: { ...account.state, inbox: account.state.inbox.slice(0, firstItems) } }));
    const partial = snapshot.accounts.some((account) => account.state.inbox.length > firstItems);
    return { kind: 'full', version: this.#version, snapshot: { ...snapshot, accounts }, ...(partial ? { partial } : {}), ...withAvatars };
  }

  #onChanged(snapshot: HubSnapshot, change: AccountInboxChange | undefined, avatars?: AvatarMap): void {
    this.#version += 1;
    const inbox: InboxDelta[] = [];
    const present = new Set<string>();
    const accounts: AccountMeta[] = snapshot.accounts.map(({ state: { inbox: items, ...state }, ...account }) => {
      present.add(account.accountId);
      if (!this.#described.has(account.accountId)) {
        this.#described.add(account.accountId);
        inbox.push({ accountId: account.accountId, put: [...items], removed: [], replace: true });
      } else if (change?.accountId === account.accountId && (change.put.length > 0 || change.removed.length > 0)) {
        inbox.push({ accountId: account.accountId, put: change.put, removed: change.removed });
      }
      return { ...account, state };
    });
    // A portal removed and connected again later is sent whole again.
    for (const id of this.#described) if (!present.has(id)) this.#described.delete(id);
    this.#events.emit('message', {
      kind: 'delta',
      version: this.#version,
      accounts,
      unreadCount: snapshot.unreadCount,
      ...(snapshot.notices ? { notices: snapshot.notices } : {}),
      inbox,
      ...(avatars ? { avatars } : {}),
    });
  }
}
