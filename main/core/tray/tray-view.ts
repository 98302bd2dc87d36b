/**
 * What the tray shows, derived from the hub's snapshot: one icon state, the unread badge, the
 * tooltip and the toggles of the menu. Pure, so every rule is testable without Electron.
 */
import type { AccountSnapshot, HubSnapshot } from '../app/hub';
import type { ConnectionState } from '../engine/state';
import { trayTooltip, type PortalProblem } from './tray-tooltip';

export type TrayState = 'idle' | 'unread' | 'error' | 'offline' | 'dnd';

export interface TrayMenuState {
  paused: boolean;
  doNotDisturb: boolean;
}

export interface TrayView {
  state: TrayState;
  /** '' when nothing is unread, '1'…'99', or '99+'. */
  badge: string;
  tooltip: string;
  menu: TrayMenuState;
}

export interface TrayViewInput {
  snapshot: HubSnapshot;
  /** Quiet right now (on, or inside the scheduled period). */
  doNotDisturb: boolean;
  /** The user paused notifications from the menu. */
  paused: boolean;
  nowMs: number;
  /** BCP 47 tag for the relative sync time; English by default. */
  locale?: string;
}

/** Portals report 100 for "100 or more", so the badge cannot be more precise than this. */
export const BADGE_OVERFLOW = 100;

type ProblemConnection = Extract<ConnectionState, { message: string }>;
const PROBLEM_STATUSES: ReadonlySet<ConnectionState['status']> = new Set<ProblemConnection['status']>([
  'auth-needed',
  'scope-missing',
  'plan-unavailable',
  'portal-moved',
  'config-error',
  'certificate-error',
  'rate-limited',
  'error',
]);

function hasProblem(connection: ConnectionState): connection is ProblemConnection {
  return PROBLEM_STATUSES.has(connection.status);
}

export function trayView(input: TrayViewInput): TrayView {
  const { snapshot, doNotDisturb, paused } = input;
  const unreadCount = snapshot.accounts.reduce((sum, account) => sum + account.state.unreadCount, 0);
  const state = iconState(snapshot.accounts, unreadCount, doNotDisturb || paused, paused);
  const badge = badgeText(unreadCount);
  return {
    state,
    badge,
    tooltip: trayTooltip({
      portalCount: snapshot.accounts.length,
      badge,
      offline: state === 'offline',
      paused,
      doNotDisturb,
      oldestSyncAtMs: oldestSync(snapshot.accounts),
      problems: portalProblems(snapshot.accounts, state === 'offline'),
      nowMs: input.nowMs,
      locale: input.locale,
    }),
    menu: { paused, doNotDisturb },
  };
}

/** Problems beat silence: an error or offline icon shows even during do-not-disturb. */
function iconState(accounts: AccountSnapshot[], unreadCount: number, silenced: boolean, userPaused: boolean): TrayState {
  if (accounts.some((account) => hasProblem(account.state.connection))) return 'error';
  if (accounts.length > 0 && accounts.every((account) => isUnreachable(account.state.connection, userPaused))) return 'offline';
  // A user pause silences like do-not-disturb; it is no connection problem.
  if (silenced) return 'dnd';
  return unreadCount > 0 ? 'unread' : 'idle';
}

/** 'paused' is the system's doing (sleep) unless the user paused notifications. */
function isUnreachable(connection: ConnectionState, userPaused: boolean): boolean {
  return connection.status === 'offline' || (connection.status === 'paused' && !userPaused);
}

export function badgeText(unreadCount: number): string {
  if (unreadCount <= 0) return '';
  return unreadCount >= BADGE_OVERFLOW ? '99+' : String(unreadCount);
}

/** The stalest portal decides, so the tooltip never claims fresher data than the tray has. */
function oldestSync(accounts: AccountSnapshot[]): number | undefined {
  const synced = accounts.flatMap((account) => (account.state.lastSyncAt === undefined ? [] : [account.state.lastSyncAt]));
  return synced.length > 0 ? Math.min(...synced) : undefined;
}

/** Offline portals are listed only while others are fine; when all are offline the headline says so. */
function portalProblems(accounts: AccountSnapshot[], allOffline: boolean): PortalProblem[] {
  return accounts.flatMap(({ name, state: { connection } }): PortalProblem[] => {
    if (hasProblem(connection)) return [{ portalName: name, message: connection.message }];
    if (connection.status === 'offline' && !allOffline) return [{ portalName: name, message: undefined }];
    return [];
  });
}
