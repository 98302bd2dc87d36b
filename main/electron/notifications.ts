/**
 * Which popups this platform gets: our own D-Bus notifier on Linux (Electron drops buttons there),
 * Electron's Notification on macOS and Windows.
 */
import { app, Notification } from 'electron';
import type { Notifier } from '../core/notifier/notifier';
import { DbusNotifier } from '../linux/dbus-notifier';
import { ElectronNotifier } from './electron-notifier';

export const APP_ID = 'com.b24notify.app';
/** Identifies our toast activator to Windows; fixed for the app's lifetime, like APP_ID. */
const TOAST_ACTIVATOR_CLSID = '6c1b5c3e-8f2a-4d51-9b7e-2f0a4c9d8e13';

let electronNotifier: ElectronNotifier | undefined;

/** How long quitting waits for the popups to close (a notification server that does not answer). */
const CLOSE_POPUPS_AT_QUIT_MS = 1_500;

/**
 * Popups with buttons must not outlive the app: on Linux the notification server would keep them
 * on screen with buttons nobody answers any more. The first quit is held (before-quit is
 * preventable, docs/api/app.md) until they are closed or a short time passed; the update
 * installer's quit is never held.
 */
export class PopupsAtQuit {
  #notifier: Notifier | undefined;
  #closed = false;

  track(notifier: Notifier): Notifier {
    this.#notifier = notifier;
    return notifier;
  }

  /** Whether this quit must wait for closeAll (once). */
  holdQuit(updating: boolean): boolean {
    return !updating && !this.#closed && this.#notifier !== undefined;
  }

  async closeAll(): Promise<void> {
    this.#closed = true;
    const notifier = this.#notifier;
    if (!notifier) return;
    await Promise.race([notifier.dispose().catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, CLOSE_POPUPS_AT_QUIT_MS).unref())]);
  }
}

/**
 * Windows needs both ids set, CLSID first, before any toast, or toasts lose their buttons.
 * handleActivation runs IN ADDITION to a live toast's own events (electron-platform-notes §7;
 * docs/api/notification.md): a button or reply on a live toast is handled by the toast and must
 * not also pop the window. A plain click opens it; so does any activation of a toast this process
 * no longer holds (a cold start, the Action Center after a restart): the item is in the inbox.
 */
export function prepareWindowsToasts(openWindow: () => void): void {
  if (process.platform !== 'win32') return;
  app.setToastActivatorCLSID(TOAST_ACTIVATOR_CLSID);
  app.setAppUserModelId(APP_ID);
  Notification.handleActivation((details) => {
    if (details.type === 'click' || !electronNotifier?.handlesActivation()) openWindow();
  });
}

/**
 * Right after ready: the toast COM activator is registered only when the notification presenter
 * is first created, so a click that started the app reaches it only after this
 * (electron-platform-notes §7).
 */
export function registerToastActivator(): void {
  if (process.platform === 'win32') Notification.isSupported();
}

export async function createPlatformNotifier(log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void): Promise<Notifier> {
  if (process.platform === 'linux') return DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', log });
  electronNotifier = new ElectronNotifier();
  return electronNotifier;
}
