/**
 * Auto-update from GitHub releases through electron-updater, doing what core/app/update-policy
 * decides: off in development, a quiet check now and then, a notice when there is something to
 * act on, and no download until the user clicks the notice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, Notification } from 'electron';
// electron-updater is CommonJS: its default export is module.exports, whose `autoUpdater` getter
// creates the platform's updater on first access.
import electronUpdater, { type AppUpdater } from 'electron-updater';
import {
  canRun,
  downloadStarted,
  nextUpdateState,
  updateNotice,
  updatePolicy,
  type UpdateAction,
  type UpdateEvent,
  type UpdateNotice,
  type UpdatePolicy,
  type UpdateState,
} from '../core/app/update-policy';

export interface UpdaterOptions {
  log(message: string): void;
  /**
   * Shows a notice; `act` runs its action (download, restart) and is absent for information only.
   * Default: a system notification that runs `act` when clicked.
   */
  tell?(notice: UpdateNotice, act: (() => void) | undefined): void;
  /** Called just before quitAndInstall, which closes windows before before-quit (electron-platform-notes §7). */
  beforeQuitForUpdate?(): void;
  /** For tests; defaults: Electron's and the process's own. */
  isPackaged?: boolean;
  resourcesPath?: string;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Updater {
  readonly policy: UpdatePolicy;
  /** A check the user asked for ("Check for updates…"): always answered with a notice. */
  checkNow(): Promise<void>;
  /** Runs a notice's action if it still applies (a stale or repeated click does nothing). */
  run(action: UpdateAction): void;
  stop(): void;
}

export function startUpdater(options: UpdaterOptions): Updater {
  // Undefined outside Electron (plain Node), where there is nothing packaged to update.
  const resourcesPath = options.resourcesPath ?? (process.resourcesPath as string | undefined);
  const policy = updatePolicy({
    isPackaged: options.isPackaged ?? app.isPackaged,
    platform: options.platform ?? process.platform,
    env: options.env ?? process.env,
    hasUpdateConfig: resourcesPath !== undefined && existsSync(join(resourcesPath, 'app-update.yml')),
    linuxPackageType: resourcesPath === undefined ? undefined : readIfPresent(join(resourcesPath, 'package-type')),
  });
  if (!policy.enabled) {
    options.log(`updates are off (${policy.reason})`);
    return { policy, checkNow: async () => undefined, run: () => undefined, stop: () => undefined };
  }

  // Only now: creating the updater reads the packaged app's files.
  const updater: AppUpdater = electronUpdater.autoUpdater;
  updater.autoDownload = false; // the user decides, from the "available" notice
  updater.autoInstallOnAppQuit = true; // it only ever holds an update the user chose to download
  updater.logger = { info: (message) => options.log(String(message)), warn: (message) => options.log(String(message)), error: (message) => options.log(String(message)) };

  let state: UpdateState = { phase: 'idle' };
  let userInitiated = false;
  let announcedVersion: string | undefined;
  const tell = options.tell ?? showNotification;

  const run = (action: UpdateAction): void => {
    if (!canRun(action, state)) return;
    if (action === 'restart') {
      options.beforeQuitForUpdate?.();
      updater.quitAndInstall();
      return;
    }
    state = downloadStarted(state);
    // A failure is also emitted as 'error', which tells the user; the rejection is handled there.
    updater.downloadUpdate().catch(() => undefined);
  };

  const handle = (event: UpdateEvent): void => {
    const notice = updateNotice(event, { userInitiated, announcedVersion, state });
    state = nextUpdateState(state, event);
    if (event.kind === 'available') announcedVersion = event.version;
    if (event.kind === 'error') options.log(`update: ${event.message}`);
    if (notice) {
      const action = notice.action;
      tell(notice, action ? () => run(action) : undefined);
    }
  };

  const listeners = {
    'checking-for-update': () => handle({ kind: 'checking' }),
    'update-available': (info: { version: string }) => handle({ kind: 'available', version: info.version }),
    'update-not-available': () => handle({ kind: 'not-available' }),
    'download-progress': (progress: { percent: number }) => handle({ kind: 'progress', percent: progress.percent }),
    'update-downloaded': (info: { version: string }) => handle({ kind: 'downloaded', version: info.version }),
    error: (error: Error) => handle({ kind: 'error', message: error.message }),
  } as const;
  for (const [event, listener] of Object.entries(listeners)) updater.on(event as keyof typeof listeners, listener);

  const check = async (byUser: boolean): Promise<void> => {
    userInitiated = byUser;
    try {
      await updater.checkForUpdates();
    } catch {
      // Emitted as 'error' too, and handled there.
    } finally {
      userInitiated = false;
    }
  };

  let interval: ReturnType<typeof setInterval> | undefined;
  const first = setTimeout(() => {
    void check(false);
    interval = setInterval(() => void check(false), policy.checkIntervalMs);
    interval.unref();
  }, policy.firstCheckDelayMs);
  first.unref();

  return {
    policy,
    checkNow: () => check(true),
    run,
    stop: () => {
      clearTimeout(first);
      clearInterval(interval);
      for (const [event, listener] of Object.entries(listeners)) updater.removeListener(event as keyof typeof listeners, listener);
    },
  };
}

// Held so the notification is not garbage-collected while shown, which would drop its click.
let shownNotification: Notification | undefined;

function showNotification(notice: UpdateNotice, act: (() => void) | undefined): void {
  shownNotification?.close();
  const notification = new Notification({ title: notice.title, body: notice.body, silent: true });
  if (act) notification.on('click', act);
  notification.show();
  shownNotification = notification;
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
