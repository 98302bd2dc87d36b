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

/** Windows needs both ids set, CLSID first, before any toast, or toasts lose their buttons. */
export function prepareWindowsToasts(openWindow: () => void): void {
  if (process.platform !== 'win32') return;
  app.setToastActivatorCLSID(TOAST_ACTIVATOR_CLSID);
  app.setAppUserModelId(APP_ID);
  // A click on a toast that started the app: the item is in the window's inbox, open it there.
  Notification.handleActivation(() => openWindow());
}

export async function createPlatformNotifier(log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void): Promise<Notifier> {
  if (process.platform === 'linux') return DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', log });
  return new ElectronNotifier();
}
