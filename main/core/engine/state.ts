/**
 * What one portal's engine exposes to the window, the tray and the OS notifier. Plain data, so it
 * crosses IPC as it is.
 */
import type { PortalNotification } from '../notifications/model';
import type { RichNode } from '../text/bbcode';

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'ok' }
  | { status: 'offline' }
  /** The system sleeps, or the user paused notifications. */
  | { status: 'paused' }
  | { status: 'auth-needed'; message: string }
  | { status: 'scope-missing'; message: string }
  | { status: 'plan-unavailable'; message: string }
  /** The portal's set-up refuses us (e.g. "Https required."); nothing is retried until the user acts. */
  | { status: 'config-error'; message: string }
  /** This computer does not trust the portal's certificate; nothing is retried until the user acts. */
  | { status: 'certificate-error'; message: string; host: string; issuer: string | undefined }
  /**
   * The portal answered with a redirect to another address; nothing is sent until the user agrees.
   * `movedTo` is set only when that address is one we would send credentials to at all.
   */
  | { status: 'portal-moved'; message: string; movedTo: string | undefined }
  | { status: 'rate-limited'; message: string; retryAt: number | undefined }
  | { status: 'error'; message: string; retryAt: number | undefined };

export type ActionKind = 'confirm' | 'answer';
export type ActionSource = 'os-notification' | 'window' | 'tray-menu';

export type ActionState =
  /** Written to the outbox; on its way or about to be. */
  | { status: 'sending'; kind: ActionKind; value: string }
  /** Failed for now; will be retried automatically. */
  | { status: 'waiting'; kind: ActionKind; value: string; message: string }
  /** The portal's answer. `gone`: it said the item was already answered or no longer exists. */
  | { status: 'done'; kind: ActionKind; value: string; resultMessages: string[]; gone: boolean }
  /** The portal refused for good, or delivery cannot be confirmed and needs the user's decision. */
  | { status: 'failed'; kind: ActionKind; value: string; message: string };

export interface InboxItem extends PortalNotification {
  action: ActionState | undefined;
  /** `text` rendered once into safe nodes for the window (links resolved against the portal). */
  rich: RichNode[];
}

export interface AccountState {
  accountId: string;
  /** The portal's address (it changes after a domain move): for links and avatar checks. */
  portalOrigin: string;
  connection: ConnectionState;
  /** Confirms first, then the rest; each newest first. */
  inbox: readonly InboxItem[];
  /** From the portal's `total_unread_count`; 100 means "99+". */
  unreadCount: number;
  lastSyncAt: number | undefined;
  /** Items the portal sent that could not be understood (skipped, not shown). */
  skippedItems: number;
  /**
   * Instant delivery through the portal's Push & Pull channel (core/push PushState); absent
   * where the app does not try it (OAuth portals, no push channel attached).
   */
  instant?: 'on' | 'connecting' | 'unavailable' | 'not-offered' | 'fallback';
}

export function compareInbox(a: PortalNotification, b: PortalNotification): number {
  if ((a.kind === 'confirm') !== (b.kind === 'confirm')) return a.kind === 'confirm' ? -1 : 1;
  return b.dateMs - a.dateMs || b.id - a.id;
}
