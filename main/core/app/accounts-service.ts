/**
 * The connected portals as the user manages them: start each enabled one, rename, recolour,
 * reorder, disable, mute categories, and remove (after showing what would be lost). Stored first,
 * then applied to the running hub, so what the user sees is what the next start will do.
 */
import { UnknownAccountIdError, type AccountChange, type AccountConfig, type AccountStore } from '../accounts/account-store';
import { accountKey } from '../accounts/keys';
import type { AccountEngine, PendingAction } from '../engine/account-engine';
import { Outbox } from '../engine/outbox';
import { isAcceptableMove } from '../portal/client';
import type { NotificationCategory } from '../notifications/categories';
import type { Storage } from '../storage/storage';
import type { NotificationHub } from './hub';

export interface AccountsServiceDeps {
  accounts: AccountStore;
  hub: NotificationHub;
  storage: Storage;
  /** Builds a portal's own client and engine (not started). */
  createEngine: (account: AccountConfig) => Promise<AccountEngine>;
  /** An account that could not start (its secret cannot be opened, say); the others still start. */
  onAccountError?: (accountId: string, error: unknown) => void;
}

/** "Use the new address" when the portal has not (or no longer) reported one. */
export class PortalNotMovedError extends Error {
  override readonly name = 'PortalNotMovedError';
}

/** A portal that is not running cannot answer for itself. */
export class PortalNotRunningError extends Error {
  override readonly name = 'PortalNotRunningError';
}

export class AccountsService {
  /** accountId → muted "module|event" ids, read on every announcement, so kept in memory. */
  #muted = new Map<string, Set<string>>();
  /** accountId → "module|event" ids that pop up even in quiet time. */
  #breakThrough = new Map<string, Set<string>>();

  constructor(private readonly deps: AccountsServiceDeps) {
    this.#reloadMuted();
  }

  list(): AccountConfig[] {
    return this.deps.accounts.list();
  }

  /** Starts every enabled portal, in the user's order. */
  async startAll(): Promise<void> {
    for (const account of this.deps.accounts.list()) {
      if (account.enabled) await this.start(account);
    }
  }

  /** Brings one stored portal to life in the hub; reports instead of throwing so others go on. */
  async start(account: AccountConfig): Promise<boolean> {
    try {
      return await this.#start(account);
    } catch (error) {
      this.deps.onAccountError?.(account.id, error);
      return false;
    }
  }

  /** A portal just connected: started the same way, but a failure is the connect flow's to show. */
  async startConnected(account: AccountConfig): Promise<void> {
    await this.#start(account);
  }

  async #start(account: AccountConfig): Promise<boolean> {
    if (this.deps.hub.has(account.id)) return true;
    const engine = await this.deps.createEngine(account);
    // Opening the secret can wait on the keychain: the user may have turned the portal off, or
    // removed it, meanwhile. Then it must not start (nor write its keys back).
    const current = this.deps.accounts.get(account.id);
    if (!current?.enabled || this.deps.hub.has(account.id)) return false;
    this.deps.hub.add(current.name, engine, current.color);
    engine.start();
    this.deps.hub.reorder(this.deps.accounts.list().map((stored) => stored.id));
    return true;
  }

  async update(accountId: string, change: AccountChange): Promise<AccountConfig> {
    const updated = this.deps.accounts.update(accountId, change);
    this.#reloadMuted();
    if (change.name !== undefined || change.color !== undefined) this.deps.hub.relabel(accountId, { name: updated.name, ...(updated.color ? { color: updated.color } : {}) });
    if (change.enabled === false) await this.deps.hub.remove(accountId);
    if (change.enabled === true) await this.start(updated);
    // Instant delivery on or off: the running portal starts again with or without its push channel.
    if (change.instant !== undefined && change.enabled === undefined && updated.enabled && this.deps.hub.has(accountId)) await this.restart(updated);
    return updated;
  }

  /**
   * The user agreed to the address the portal said it moved to: store it and start the portal
   * again there (its unsent answers go with it). Only an address the engine reported, and one we
   * would send credentials to, is accepted — never one handed in from the window.
   */
  async useMovedAddress(accountId: string): Promise<AccountConfig> {
    const account = this.deps.accounts.get(accountId);
    if (!account) throw new UnknownAccountIdError('That portal is not connected any more.');
    const connection = this.deps.hub.snapshot().accounts.find((entry) => entry.accountId === accountId)?.state.connection;
    const movedTo = connection?.status === 'portal-moved' ? connection.movedTo : undefined;
    if (!movedTo || !isAcceptableMove(new URL(account.origin), new URL(movedTo))) {
      throw new PortalNotMovedError('This portal has not reported a new address that B24 Notify can use.');
    }
    const moved = this.deps.accounts.setOrigin(accountId, movedTo);
    await this.deps.hub.remove(accountId);
    await this.start(moved);
    return moved;
  }

  /** Stops the portal if it runs and starts it again from what is stored (new credentials, say). */
  async restart(account: AccountConfig): Promise<void> {
    await this.deps.hub.remove(account.id);
    await this.#start(account);
  }

  reorder(accountIds: string[]): AccountConfig[] {
    const ordered = this.deps.accounts.reorder(accountIds);
    this.deps.hub.reorder(ordered.map((account) => account.id));
    return ordered;
  }

  /** What removing this portal would throw away: answers the portal has not settled yet. */
  pendingActions(accountId: string): PendingAction[] {
    if (this.deps.hub.has(accountId)) return this.deps.hub.pendingActions(accountId);
    // Disabled: its outbox is only on disk.
    return new Outbox(this.deps.storage, accountKey(accountId, 'outbox')).entries.map((entry) => ({
      notificationId: entry.notificationId,
      kind: entry.kind,
      value: entry.value,
      title: '',
      createdAt: entry.createdAt,
    }));
  }

  /** Stops the portal and deletes its secret, outbox and marks. The window asks the user first. */
  async remove(accountId: string): Promise<void> {
    await this.deps.hub.remove(accountId);
    this.deps.accounts.remove(accountId);
    this.#muted.delete(accountId);
  }

  categories(accountId: string): Promise<NotificationCategory[]> {
    if (!this.deps.hub.has(accountId)) throw new PortalNotRunningError('Turn this portal on to see its categories.');
    return this.deps.hub.categories(accountId);
  }

  /** Muted categories still reach the inbox and the count, never a popup or sound. */
  isMuted(accountId: string, settingName: string): boolean {
    return this.#muted.get(accountId)?.has(settingName) ?? false;
  }

  /** Categories the user lets through quiet time (issue 17): their popups do not wait for the digest. */
  breaksThrough(accountId: string, settingName: string): boolean {
    return this.#breakThrough.get(accountId)?.has(settingName) ?? false;
  }

  #reloadMuted(): void {
    const accounts = this.deps.accounts.list();
    this.#muted = new Map(accounts.map((account) => [account.id, new Set(account.mutedCategories)]));
    this.#breakThrough = new Map(accounts.map((account) => [account.id, new Set(account.breakThroughCategories)]));
  }
}
