/**
 * The window's state, fed by changes (issue 15): main sends one full state when the window asks
 * (optionally only the first screenful of each inbox) and after that only what changed, each message
 * numbered. The window applies a change only onto the version right before it; anything else (a
 * lost, late or malformed message) makes it ask for the full state once. The same messages travel
 * over Electron IPC and over the preview's WebSocket. Pure: main builds (core/app/state-feed.ts),
 * the renderer applies (`applyStateMessage`), both tested in Node.
 */
import type { AccountSnapshot, AppNotice, HubSnapshot } from '../core/app/hub';
import { compareInbox, type AccountState, type InboxItem } from '../core/engine/state';

/** A portal as the window lists it, without its inbox. */
export interface AccountMeta extends Omit<AccountSnapshot, 'state'> {
  state: Omit<AccountState, 'inbox'>;
}

export interface InboxDelta {
  accountId: string;
  /** New or changed items. */
  put: InboxItem[];
  removed: readonly number[];
  /** The window has not seen this portal's inbox yet: `put` is all of it. */
  replace?: boolean;
}

/** On-premise avatars fetched by main, by absolute URL → data: URL (core/app/avatar-store.ts). */
export type AvatarMap = Record<string, string>;

export type StateMessage =
  | { kind: 'full'; version: number; snapshot: HubSnapshot; /** Only the first screenful of each inbox. */ partial?: boolean; avatars?: AvatarMap }
  | { kind: 'delta'; version: number; accounts: AccountMeta[]; unreadCount: number; notices?: AppNotice[]; inbox: InboxDelta[]; avatars?: AvatarMap };

export interface WindowState {
  version: number;
  snapshot: HubSnapshot;
  partial: boolean;
  avatars: AvatarMap;
}

/** 'resync': ask for the full state; 'stale': an older message, ignore it. */
export type ApplyResult = WindowState | 'resync' | 'stale';

export function applyStateMessage(current: WindowState | undefined, raw: unknown): ApplyResult {
  if (!isRecord(raw) || !Number.isSafeInteger(raw.version)) return 'resync';
  const version = raw.version as number;
  if (raw.kind === 'full') {
    const snapshot = raw.snapshot;
    if (!isRecord(snapshot) || !Array.isArray(snapshot.accounts)) return 'resync';
    if (current && version < current.version) return 'stale';
    const avatars = raw.avatars === undefined ? {} : avatarMap(raw.avatars);
    if (!avatars) return 'resync';
    return { version, snapshot: snapshot as unknown as HubSnapshot, partial: raw.partial === true, avatars };
  }
  if (raw.kind !== 'delta') return 'resync';
  if (!current) return 'resync';
  if (version <= current.version) return 'stale';
  if (version !== current.version + 1 || !Array.isArray(raw.accounts) || !Array.isArray(raw.inbox)) return 'resync';
  const newAvatars = raw.avatars === undefined ? {} : avatarMap(raw.avatars);
  if (!newAvatars) return 'resync';
  const deltas = new Map<string, InboxDelta>();
  for (const delta of raw.inbox as unknown[]) {
    if (!isInboxDelta(delta)) return 'resync';
    deltas.set(delta.accountId, delta);
  }
  const previous = new Map(current.snapshot.accounts.map((account) => [account.accountId, account]));
  const accounts: AccountSnapshot[] = [];
  for (const meta of raw.accounts as unknown[]) {
    if (!isRecord(meta) || typeof meta.accountId !== 'string' || !isRecord(meta.state)) return 'resync';
    const before = previous.get(meta.accountId);
    const delta = deltas.get(meta.accountId);
    // A portal the window never had, and no inbox for it: only a full state can fill it in.
    if (!before && !delta?.replace) return 'resync';
    const inbox = delta ? applyInboxDelta(before?.state.inbox ?? [], delta) : before!.state.inbox;
    accounts.push({ ...(meta as unknown as AccountMeta), state: { ...(meta.state as unknown as AccountMeta['state']), inbox } });
  }
  const unreadCount = typeof raw.unreadCount === 'number' ? raw.unreadCount : 0;
  const notices = Array.isArray(raw.notices) ? (raw.notices as AppNotice[]) : undefined;
  const avatars = Object.keys(newAvatars).length > 0 ? { ...current.avatars, ...newAvatars } : current.avatars;
  return { version, snapshot: notices ? { accounts, unreadCount, notices } : { accounts, unreadCount }, partial: current.partial, avatars };
}

function applyInboxDelta(inbox: readonly InboxItem[], delta: InboxDelta): readonly InboxItem[] {
  if (delta.replace) return [...delta.put].sort(compareInbox);
  if (delta.put.length === 0 && delta.removed.length === 0) return inbox;
  const byId = new Map(inbox.map((item) => [item.id, item]));
  for (const id of delta.removed) byId.delete(id);
  for (const item of delta.put) byId.set(item.id, item);
  return [...byId.values()].sort(compareInbox);
}

function isInboxDelta(value: unknown): value is InboxDelta {
  return (
    isRecord(value) &&
    typeof value.accountId === 'string' &&
    Array.isArray(value.put) &&
    value.put.every((item) => isRecord(item) && Number.isSafeInteger(item.id)) &&
    Array.isArray(value.removed) &&
    value.removed.every((id) => Number.isSafeInteger(id))
  );
}

/** Only data: URLs of raster images, keyed by https or http URLs: anything else is malformed. */
function avatarMap(value: unknown): AvatarMap | undefined {
  if (!isRecord(value)) return undefined;
  for (const [url, dataUrl] of Object.entries(value)) {
    if (!/^https?:\/\//.test(url) || typeof dataUrl !== 'string' || !/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$/.test(dataUrl)) return undefined;
  }
  return value as AvatarMap;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
