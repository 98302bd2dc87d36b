/**
 * When the app looks for updates and what it tells the user about them. Plain TypeScript: the
 * Electron adapter (main/electron/updater.ts) feeds it facts and events and does what it says.
 *
 * The rules: never in development or where the installed copy cannot replace itself; check now
 * and then, quietly; never download without the user asking; say only what the user can act on.
 */

/** Facts about the running copy, gathered by the adapter. */
export interface UpdateEnvironment {
  /** Electron's `app.isPackaged`: false under `npm start` and tests. */
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether electron-builder wrote `resources/app-update.yml` (where to look for releases). */
  hasUpdateConfig: boolean;
  /** `resources/package-type` as electron-builder writes it for deb and rpm, if present. */
  linuxPackageType?: string | undefined;
}

export type UpdateOffReason =
  /** Not packaged: `npm start`, tests. */
  | 'development'
  /** The Windows portable exe has no installer to update it. */
  | 'portable'
  /** A Linux copy that is neither an AppImage nor a deb/rpm install (an unpacked folder). */
  | 'unsupported-install'
  /** Built without a publish config (e.g. a `dir` build). */
  | 'no-update-config'
  /** B24_NOTIFY_DISABLE_UPDATES=1: for managed installs and Playwright runs. */
  | 'disabled';

export type UpdatePolicy =
  | { enabled: false; reason: UpdateOffReason }
  | {
      enabled: true;
      /** The first check waits so it does not compete with start-up. */
      firstCheckDelayMs: number;
      checkIntervalMs: number;
    };

export const FIRST_CHECK_DELAY_MS = 60_000;
/** GitHub allows 60 unauthenticated API requests an hour per address: a few a day is plenty. */
export const CHECK_INTERVAL_MS = 6 * 60 * 60_000;
export const DISABLE_UPDATES_ENV = 'B24_NOTIFY_DISABLE_UPDATES';

/** The Linux installs electron-updater can update in place. */
const UPDATABLE_LINUX_PACKAGES = new Set(['deb', 'rpm']);

export function updatePolicy(environment: UpdateEnvironment): UpdatePolicy {
  const { env } = environment;
  if (!environment.isPackaged) return { enabled: false, reason: 'development' };
  if (isTruthy(env[DISABLE_UPDATES_ENV])) return { enabled: false, reason: 'disabled' };
  // electron-builder's portable target sets this for the unpacked app it runs.
  if (environment.platform === 'win32' && env.PORTABLE_EXECUTABLE_DIR) return { enabled: false, reason: 'portable' };
  if (environment.platform === 'linux' && !env.APPIMAGE && !UPDATABLE_LINUX_PACKAGES.has(environment.linuxPackageType?.trim() ?? '')) {
    return { enabled: false, reason: 'unsupported-install' };
  }
  if (!environment.hasUpdateConfig) return { enabled: false, reason: 'no-update-config' };
  return { enabled: true, firstCheckDelayMs: FIRST_CHECK_DELAY_MS, checkIntervalMs: CHECK_INTERVAL_MS };
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase());
}

/** What the updater reported, reduced to what matters here. */
export type UpdateEvent =
  | { kind: 'checking' }
  | { kind: 'available'; version: string }
  | { kind: 'not-available' }
  | { kind: 'progress'; percent: number }
  | { kind: 'downloaded'; version: string }
  | { kind: 'error'; message: string };

/** What the user may do from a notice. */
export type UpdateAction = 'download' | 'restart';

export interface UpdateNotice {
  title: string;
  body: string;
  /** The notice's one action, run when the user clicks it; none means "for information". */
  action?: UpdateAction;
}

/** What `updateNotice` needs to know besides the event. */
export interface NoticeContext {
  /** The user asked for this check (a menu item), rather than the periodic timer. */
  userInitiated: boolean;
  /** The version last offered to the user, if any. */
  announcedVersion?: string | undefined;
  /** Where the update stood before the event. */
  state: UpdateState;
}

/**
 * What to tell the user about `event`, or nothing. A check the app made by itself stays quiet
 * unless there is something new to act on: "no update", a release already offered and network
 * failures are only logged, since the next check will try again. A check or a download the user
 * asked for always gets an answer.
 */
export function updateNotice(event: UpdateEvent, context: NoticeContext): UpdateNotice | undefined {
  switch (event.kind) {
    case 'available':
      // Periodic checks find the same release again until it is taken: offer it once.
      if (!context.userInitiated && event.version === context.announcedVersion) return undefined;
      return { title: `B24 Notify ${event.version} is available`, body: 'Click to download it. Nothing is downloaded until you do.', action: 'download' };
    case 'downloaded':
      return { title: `B24 Notify ${event.version} is ready`, body: 'Click to restart and update now, or it will be installed when you quit.', action: 'restart' };
    case 'not-available':
      return context.userInitiated ? { title: 'B24 Notify is up to date', body: 'You have the latest version.' } : undefined;
    case 'error':
      if (context.state.phase === 'downloading') return { title: 'Could not download the update', body: `Click to try again. ${oneLine(event.message)}`, action: 'download' };
      return context.userInitiated ? { title: 'Could not check for updates', body: oneLine(event.message) } : undefined;
    case 'checking':
    case 'progress':
      return undefined;
  }
}

/** Updater errors can carry whole HTTP responses; a notice gets their first line, shortened. */
function oneLine(message: string): string {
  const first = (message.split('\n')[0] ?? '').trim() || 'Unknown error';
  return first.length > 160 ? `${first.slice(0, 159)}…` : first;
}

/**
 * Where the update stands, so an action is only taken when it makes sense: download only after
 * "available" and only once, restart only after "downloaded".
 */
export type UpdateState =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'available'; version: string }
  | { phase: 'downloading'; version: string; percent: number }
  | { phase: 'downloaded'; version: string };

export function nextUpdateState(state: UpdateState, event: UpdateEvent): UpdateState {
  const busy = state.phase === 'downloading' || state.phase === 'downloaded';
  switch (event.kind) {
    case 'checking':
      // A periodic check must not take away an offer the user has not answered yet.
      return state.phase === 'idle' ? { phase: 'checking' } : state;
    case 'available':
      return busy ? state : { phase: 'available', version: event.version };
    case 'not-available':
      return busy ? state : { phase: 'idle' };
    case 'progress':
      return state.phase === 'downloading' ? { ...state, percent: Math.max(0, Math.min(100, event.percent)) } : state;
    case 'downloaded':
      return { phase: 'downloaded', version: event.version };
    case 'error':
      // A failed download can be asked for again; anything else waits for the next check.
      if (state.phase === 'downloading') return { phase: 'available', version: state.version };
      return state.phase === 'checking' ? { phase: 'idle' } : state;
  }
}

/** Whether `action` may run now: the adapter's guard against stale notices and double clicks. */
export function canRun(action: UpdateAction, state: UpdateState): boolean {
  return action === 'download' ? state.phase === 'available' : state.phase === 'downloaded';
}

/** The state once the user asked for the download. */
export function downloadStarted(state: UpdateState): UpdateState {
  return state.phase === 'available' ? { phase: 'downloading', version: state.version, percent: 0 } : state;
}
