/**
 * Composition root of the Electron shell: wiring only, no logic.
 */
import { app, powerMonitor, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { AccountStore } from './core/accounts/account-store';
import { OAUTH_REDIRECT_PORT, connectOAuth, connectWebhook, type OAuthConnectInput } from './core/app/connect';
import { NotificationHub } from './core/app/hub';
import { SettingsService } from './core/app/settings-service';
import { startStoredAccounts } from './core/app/start-accounts';
import { systemClock } from './core/clock';
import { createIpcDispatcher } from './core/ipc/dispatcher';
import { hubIpcHandlers } from './core/ipc/handlers';
import { isQuietTime, toggledDoNotDisturb } from './core/notifier/do-not-disturb';
import { PopupPresenter } from './core/notifier/popup-presenter';
import { SettingsStore } from './core/settings/settings';
import { openAppStorage } from './electron/app-storage';
import { pushState, registerIpcHandlers } from './electron/ipc';
import { createPlatformNotifier, prepareWindowsToasts } from './electron/notifications';
import { electronLoginItems } from './electron/login-items';
import { createSafeStorageBox } from './electron/safe-storage-box';
import { XdgAutostart } from './linux/xdg-autostart';
import { TrayController } from './electron/tray';
import { createTrayWindow, showNearTray } from './electron/tray-window';
import { trayView } from './core/tray/tray-view';
import { IpcEvents } from './shared/ipc-contract';

const distDir = join(import.meta.dirname, '..');
const paths = {
  preloadPath: join(distDir, 'preload', 'preload.cjs'),
  rendererIndexPath: join(distDir, 'renderer', 'index.html'),
};
const report = (problem: unknown): void => console.warn('[b24-notify]', problem);

let trayWindow: BrowserWindow | undefined;
let tray: TrayController | undefined;
const hub = new NotificationHub(report);
const showWindow = (): void => {
  if (trayWindow) showNearTray(trayWindow, tray?.bounds());
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  prepareWindowsToasts(showWindow);
  // A tray app: no dock icon on macOS (the packaged app also sets LSUIElement).
  app.dock?.hide();
  app.on('second-instance', showWindow);
  // The app lives in the tray: closing the window must not quit it.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    tray?.destroy();
    void hub.stopAll();
  });
  void app.whenReady().then(async () => {
    const storage = openAppStorage(app.getPath('userData'), report);
    const settings = new SettingsStore(storage);
    const secretBox = await createSafeStorageBox();
    const accounts = new AccountStore(storage, secretBox);
    const autostart = process.platform === 'linux' ? new XdgAutostart({ exec: process.env.APPIMAGE ?? process.execPath, appName: 'B24 Notify', id: 'b24-notify' }) : electronLoginItems;
    const services = {
      hub,
      appInfo: () => ({ version: app.getVersion(), platform: process.platform }),
      connectWebhook: (url: string) => connectWebhook(url, { accounts, hub, storage, pollIntervalMs: settings.current.pollIntervalMs }),
      connectOAuth: (input: OAuthConnectInput) =>
        connectOAuth(input, { accounts, hub, storage, pollIntervalMs: settings.current.pollIntervalMs, openExternal: (url) => shell.openExternal(url), redirectPort: OAUTH_REDIRECT_PORT }),
      settings: new SettingsService({ settings, accounts, hub, autostart, secretBox }),
    };
    registerIpcHandlers(paths.rendererIndexPath, createIpcDispatcher(hubIpcHandlers(services), report));
    const window = (trayWindow = createTrayWindow(paths, { hideOnBlur: () => settings.current.hideOnBlur }));
    const refreshTray = (snapshot = hub.snapshot()): void =>
      tray?.update(
        trayView({
          snapshot,
          doNotDisturb: isQuietTime(settings.current.doNotDisturb, new Date()),
          paused: hub.userPaused,
          nowMs: Date.now(),
          locale: app.getLocale(),
        }),
      );
    tray = new TrayController({
      onOpen: showWindow,
      onTogglePause: () => {
        hub.setUserPaused(!hub.userPaused);
        refreshTray();
      },
      onToggleDoNotDisturb: () => {
        settings.update({ doNotDisturb: toggledDoNotDisturb(settings.current.doNotDisturb, new Date()) });
        refreshTray();
      },
      onSettings: showWindow,
      onQuit: () => app.quit(),
    });
    refreshTray();
    // Keeps "synced N min ago" and scheduled do-not-disturb boundaries current.
    setInterval(() => refreshTray(), 30_000).unref();
    hub.on('changed', (snapshot) => {
      pushState(window.webContents, snapshot);
      refreshTray(snapshot); // the same snapshot: no second sort of every inbox
    });
    new PopupPresenter({
      hub,
      notifier: await createPlatformNotifier((_level, message) => report(message)),
      clock: systemClock,
      settings: () => settings.current,
      openWindow: (target) => {
        window.show();
        if (target) window.webContents.send(IpcEvents.revealItem, target);
      },
      playSound: () => window.webContents.send(IpcEvents.playSound, null),
      log: report,
    });
    powerMonitor.on('suspend', () => hub.setSystemState({ suspended: true }));
    powerMonitor.on('resume', () => hub.setSystemState({ suspended: false }));
    powerMonitor.on('unlock-screen', () => hub.pollNow());
    await startStoredAccounts(hub, accounts, storage, { pollIntervalMs: settings.current.pollIntervalMs, onAccountError: (_id, error) => report(error) });
    window.once('ready-to-show', () => window.show());
  });
}
