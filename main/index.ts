/**
 * Composition root of the Electron shell: wiring only, no logic.
 */
import { Menu, app, autoUpdater, powerMonitor, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { AccountStore } from './core/accounts/account-store';
import { connectWebhook, reconnectWebhook } from './core/app/connect';
import { OAUTH_REDIRECT_PORT, connectOAuth, reconnectOAuth, type OAuthConnectInput } from './core/app/connect-oauth';
import { AccountsService } from './core/app/accounts-service';
import { ActivityMonitor } from './core/app/activity-monitor';
import { NotificationHub } from './core/app/hub';
import { AvatarStore } from './core/app/avatar-store';
import { StateFeed } from './core/app/state-feed';
import { SettingsService } from './core/app/settings-service';
import { engineFactory } from './core/app/start-accounts';
import { migrateSinglePortalConfig } from './core/accounts/migrate';
import { systemClock } from './core/clock';
import { logHubActivity } from './core/log/hub-log';
import { createIpcDispatcher } from './core/ipc/dispatcher';
import { hubIpcHandlers } from './core/ipc/handlers';
import { isQuietTime, toggledDoNotDisturb } from './core/notifier/do-not-disturb';
import { PopupPresenter } from './core/notifier/popup-presenter';
import { guardedOpenExternal } from './core/security/external-links';
import { SettingsStore } from './core/settings/settings';
import { DeferredSecretBox } from './core/storage/deferred-secret-box';
import { storageNotice } from './core/storage/storage-notice';
import { openAppStorage } from './electron/app-storage';
import { pushState, registerIpcHandlers } from './electron/ipc';
import { PopupsAtQuit, createPlatformNotifier, prepareWindowsToasts, registerToastActivator } from './electron/notifications';
import { electronLoginItems, startedAtLogin } from './electron/login-items';
import { createSafeStorageBox } from './electron/safe-storage-box';
import { createAppLogger, openLogFile, showLogsFolder } from './electron/logging';
import { createSystemProxyRouter } from './electron/proxy';
import { XdgAutostart } from './linux/xdg-autostart';
import { followSystemQuiet } from './linux/system-quiet';
import { trayHostPresent } from './linux/tray-host';
import { whenTrayChecked } from './core/app/tray-presence';
import { TrayController } from './electron/tray';
import { createTrayWindow, showNearTray, toggleFromTray } from './electron/tray-window';
import { startUpdater } from './electron/updater';
import { GlobalHotkey, enableWaylandShortcuts } from './electron/hotkey';
import { trayView } from './core/tray/tray-view';
import { IpcEvents } from './shared/ipc-contract';

const distDir = join(import.meta.dirname, '..');
const paths = {
  preloadPath: join(distDir, 'preload', 'preload.cjs'),
  rendererIndexPath: join(distDir, 'renderer', 'index.html'),
};
const logger = createAppLogger();
const report = (problem: unknown): void => logger.warn('problem:', problem);

let trayWindow: BrowserWindow | undefined;
let tray: TrayController | undefined;
const hub = new NotificationHub(report);
const showWindow = (): void => {
  if (trayWindow) showNearTray(trayWindow, tray?.bounds());
};

// Set in before-quit: from then on the window's close goes through (a prevented close cancels the quit).
let quitting = false;
// Set when the updater quits to install: its quit is not held for anything.
let updating = false;
const popups = new PopupsAtQuit();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // No default application menu: it would bring Reload and DevTools to release builds.
  Menu.setApplicationMenu(null);
  enableWaylandShortcuts();
  prepareWindowsToasts(showWindow);
  // A tray app: no dock icon on macOS (the packaged app also sets LSUIElement).
  app.dock?.hide();
  app.on('second-instance', showWindow);
  // macOS: launching the running app again sends activate, not second-instance.
  app.on('activate', showWindow);
  // The app lives in the tray: closing the window must not quit it.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    quitting = true;
    tray?.destroy();
    void hub.stopAll();
    // Popups with buttons would stay on screen with dead buttons: close them, then quit again.
    if (popups.holdQuit(updating)) {
      event.preventDefault();
      void popups.closeAll().finally(() => app.quit());
    }
  });
  // Installing an update closes the windows BEFORE before-quit (Electron's quitAndInstall, which
  // electron-updater emulates: BaseUpdater.js), so closes must go through from here on
  // (electron-platform-notes §7); nor is that quit held for the popups.
  autoUpdater.on('before-quit-for-update', () => (quitting = updating = true));
  // Every startup failure is logged and said in the window, never an unhandled rejection.
  const startupFailed = (error: unknown): void => {
    report(error);
    hub.addNotice(`B24 Notify could not start completely: ${error instanceof Error ? error.message : String(error)} The details are in the log.`);
  };
  void app
    .whenReady()
    .then(async () => {
      registerToastActivator();
      const logDir = openLogFile(logger);
      const proxy = createSystemProxyRouter(logger.scoped('proxy'));
      // Every portal client: through the proxy, logging redacted lines, its secrets masked in the log.
      const clientOptions = { dispatcherFactory: proxy.dispatcherFactory, log: logger.scoped('portal'), registerSecret: logger.addSecret };
      // Storage problems go to the log and, in words, to the window (nothing is set aside silently).
      const storage = openAppStorage(app.getPath('userData'), (problem) => {
        report(problem);
        hub.addNotice(storageNotice(problem));
      });
      const settings = new SettingsStore(storage);
      hub.useSnoozes(storage, systemClock);
      // Never awaited here: safeStorage may wait on a keyring prompt, and the tray and the window
      // must not (electron-platform-notes §7). Secrets are sealed and opened once it has answered.
      const secretBox = new DeferredSecretBox(createSafeStorageBox());
      secretBox.ready().catch((error: unknown) => startupFailed(error));
      const accounts = new AccountStore(storage, secretBox);
      const portals = new AccountsService({
        accounts,
        hub,
        storage,
        createEngine: engineFactory(accounts, storage, { pollIntervalMs: () => settings.current.pollIntervalMs, clientOptions, onRouteChange: (listener) => proxy.onRouteChange(listener) }),
        onAccountError: (_id, error) => report(error),
      });
      const autostart = process.platform === 'linux' ? new XdgAutostart({ exec: process.env.APPIMAGE ?? process.execPath, appName: 'B24 Notify', id: 'b24-notify' }) : electronLoginItems;
      const feed = new StateFeed(hub, new AvatarStore(hub));
      // The global shortcut opens and closes the window, as a tray click does.
      const hotkey = new GlobalHotkey(() => trayWindow && toggleFromTray(trayWindow, tray?.bounds()));
      const settingsService = new SettingsService({ settings, accounts, hub, autostart, secretBox, hotkey });
      settingsService.applyStoredHotkey();
      const services = {
        hub,
        feed,
        appInfo: () => ({ version: app.getVersion(), platform: process.platform }),
        connectWebhook: (url: string, options?: { allowHttp?: boolean }) => connectWebhook(url, { accounts, start: (account) => portals.startConnected(account), clientOptions }, options),
        reconnectWebhook: (accountId: string, url: string) => reconnectWebhook(accountId, url, { accounts, restart: (account) => portals.restart(account), clientOptions }),
        connectOAuth: (input: OAuthConnectInput, signal: AbortSignal) =>
          connectOAuth(input, {
            accounts,
            start: (account) => portals.startConnected(account),
            clientOptions,
            // Only the portal's own sign-in page ever reaches the browser from here.
            openExternal: guardedOpenExternal((url) => shell.openExternal(url), { portalHosts: [input.portal] }),
            redirectPort: OAUTH_REDIRECT_PORT,
            signal,
          }),
        reconnectOAuth: (accountId: string, signal: AbortSignal) =>
          reconnectOAuth(accountId, {
            accounts,
            restart: (account) => portals.restart(account),
            clientOptions,
            openExternal: guardedOpenExternal((url) => shell.openExternal(url), { portalHosts: [accounts.get(accountId)?.origin ?? ''] }),
            redirectPort: OAUTH_REDIRECT_PORT,
            signal,
          }),
        settings: settingsService,
        portals,
      };
      registerIpcHandlers(() => trayWindow?.webContents, createIpcDispatcher(hubIpcHandlers(services), report));
      const window = (trayWindow = createTrayWindow(paths, { hideOnBlur: () => settings.current.hideOnBlur, isQuitting: () => quitting }));
      // Registered before anything below waits: at login stay in the tray, unless nothing is connected yet.
      window.once('ready-to-show', () => {
        if (!startedAtLogin() || accounts.list().length === 0) window.show();
      });
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
        onIconClick: () => trayWindow && toggleFromTray(trayWindow, tray?.bounds()),
        onTogglePause: () => {
          hub.setUserPaused(!hub.userPaused);
          refreshTray();
        },
        onToggleDoNotDisturb: () => {
          settings.update({ doNotDisturb: toggledDoNotDisturb(settings.current.doNotDisturb, new Date()) });
          refreshTray();
        },
        onSettings: showWindow,
        onOpenLogs: () => showLogsFolder(logDir, logger),
        onQuit: () => app.quit(),
      });
      refreshTray();
      if (process.platform === 'linux') {
        void trayHostPresent(process.env.DBUS_SESSION_BUS_ADDRESS).then((present) => whenTrayChecked(present, { storage, addNotice: (message) => hub.addNotice(message), showWindow, log: (message) => logger.scoped('tray')('info', message) }));
      }
      const updateLog = logger.scoped('updater');
      const updater = startUpdater({ log: (message) => updateLog('info', message), beforeQuitForUpdate: () => (quitting = updating = true) });
      app.on('before-quit', () => updater.stop());
      // Keeps "synced N min ago" and scheduled do-not-disturb boundaries current.
      setInterval(() => refreshTray(), 30_000).unref();
      logHubActivity(hub, logger.scoped('hub'));
      feed.onMessage((message) => pushState(window.webContents, message));
      hub.on('changed', (snapshot) => refreshTray(snapshot)); // the same snapshot: no second sort of every inbox
      // The desktop's own do-not-disturb (Linux: KDE, dunst, GNOME), followed live.
      const systemQuiet = followSystemQuiet({ busAddress: process.env.DBUS_SESSION_BUS_ADDRESS, log: (message) => logger.warn(message) });
      app.on('before-quit', () => systemQuiet.dispose());
      new PopupPresenter({
        hub,
        notifier: popups.track(await createPlatformNotifier(logger.scoped('notifier'))),
        clock: systemClock,
        settings: () => settings.current,
        isMuted: (accountId, settingName) => portals.isMuted(accountId, settingName),
        osDoNotDisturb: systemQuiet.quiet,
        storage,
        breaksThrough: (accountId, settingName) => portals.breaksThrough(accountId, settingName),
        openWindow: (target) => {
          window.show();
          if (target) window.webContents.send(IpcEvents.revealItem, target);
        },
        playSound: () => window.webContents.send(IpcEvents.playSound, null),
        log: report,
      });
      powerMonitor.on('suspend', () => hub.setSystemState({ suspended: true }));
      powerMonitor.on('resume', () => hub.setSystemState({ suspended: false }));
      // Polls follow the person: faster at the computer, slower away, none while locked.
      const activity = new ActivityMonitor({
        idleSeconds: () => powerMonitor.getSystemIdleTime(),
        // Linux has no lock-screen events; the idle state says 'locked' instead.
        isLocked: process.platform === 'linux' ? () => powerMonitor.getSystemIdleState(60) === 'locked' : undefined,
        clock: systemClock,
        onChange: (now) => hub.setActivity(now),
      });
      powerMonitor.on('lock-screen', () => activity.setLocked(true));
      powerMonitor.on('unlock-screen', () => activity.setLocked(false));
      activity.start();
      await migrateSinglePortalConfig(storage, accounts)
        .then((result) => result.status === 'unreadable' && hub.addNotice(result.message))
        .catch(report);
      await portals.startAll();
    })
    .catch(startupFailed);
}
