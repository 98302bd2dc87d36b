/**
 * Native popups on Linux through the freedesktop Desktop Notifications protocol on the session
 * bus (Electron's own Notification cannot show buttons there). One long-lived connection, since
 * daemons send ActionInvoked / NotificationClosed only to the connection that called Notify.
 *
 * Whatever goes wrong (no bus, no daemon, a daemon that leaves or restarts, a failing call), the
 * app keeps running: `show` rejects with NotifierUnavailableError, `unavailable` says why once
 * per cause and outage, and the caller answers in the tray window instead.
 */
import { Emitter } from '../core/emitter';
import type { Notifier, NotifierCapabilities, NotifierEvents, Popup } from '../core/notifier/notifier';
import { DbusConnection, DbusError, ownerChangesRule, type DbusSignal } from './dbus-connection';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface DbusNotifierOptions {
  /** `app_name` of every popup. */
  appName: string;
  /** Basename of the app's .desktop file, without ".desktop": the daemon takes the icon and name from it. */
  desktopEntry: string;
  /** Default: DBUS_SESSION_BUS_ADDRESS. */
  busAddress?: string;
  log?: (level: LogLevel, message: string) => void;
  /** Lifetime of popups without buttons; -1 = the daemon's default. Popups with buttons never expire (0). */
  expireTimeoutMs?: number;
  /** How long one call to the bus or the daemon may take. */
  callTimeoutMs?: number;
}

/** `show` could not reach any notification daemon; the popup's content belongs in the window. */
export class NotifierUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`native popups unavailable: ${reason}`);
    this.name = 'NotifierUnavailableError';
  }
}

const NOTIFICATIONS = { destination: 'org.freedesktop.Notifications', path: '/org/freedesktop/Notifications', interface: 'org.freedesktop.Notifications' } as const;
// Daemons unicast their signals to us; python-dbusmock broadcasts them, hence the match rule.
const NOTIFICATION_SIGNALS = `type='signal',interface='${NOTIFICATIONS.interface}',path='${NOTIFICATIONS.path}'`;
const DAEMON_OWNER_CHANGES = ownerChangesRule(NOTIFICATIONS.destination);
const URGENCY_BYTE = { low: 0, normal: 1, critical: 2 } as const;
/** Our snooze action's key (portal button values are sent as they are; this one never leaves the app). */
const SNOOZE_ACTION = 'b24-notify:snooze';
/** Servers that list actions in a menu, so more than three fit (dunst(5): the context menu). */
const MENU_ACTION_SERVERS = new Set(['dunst']);
/** NotificationClosed reasons that mean "the user (or time) closed it". 3 = closed by a call, 4 = other. */
const REASON_EXPIRED = 1;
const REASON_DISMISSED = 2;
const NO_DAEMON = 'no notification daemon on the session bus (org.freedesktop.Notifications)';

type Cause = 'bus' | 'daemon';

interface ShownPopup {
  key: string;
  /** Button values sent with it: an ActionInvoked with any other key is not ours to forward. */
  values: Set<string>;
}

export class DbusNotifier implements Notifier {
  readonly #options: Required<Pick<DbusNotifierOptions, 'appName' | 'desktopEntry' | 'expireTimeoutMs' | 'callTimeoutMs'>>;
  readonly #log: (level: LogLevel, message: string) => void;
  #events: Emitter<NotifierEvents>;
  #capabilities: NotifierCapabilities = { buttons: false, reply: false, moreActions: false };
  /** The daemon renders `body` as markup, so plain text must be escaped. */
  #bodyMarkup = false;
  #connection: DbusConnection | undefined;
  /** Why there is no connection (set when #connection is undefined). */
  #busProblem = 'not connected';
  /** Unique name of the daemon; only it may speak for our popups. */
  #daemonOwner: string | undefined;
  /** Bumped when the daemon changes: ids handed out by an earlier daemon mean nothing. */
  #daemonGeneration = 0;
  readonly #idByKey = new Map<string, number>();
  readonly #shownById = new Map<number, ShownPopup>();
  /** Per-key chain, so a replace or close never overtakes the Notify that created the id. */
  readonly #queues = new Map<string, Promise<void>>();
  readonly #logged = new Set<Cause>();
  readonly #announced = new Set<Cause>();
  #disposed = false;

  private constructor(options: DbusNotifierOptions) {
    this.#options = { appName: options.appName, desktopEntry: options.desktopEntry, expireTimeoutMs: options.expireTimeoutMs ?? -1, callTimeoutMs: options.callTimeoutMs ?? 10_000 };
    this.#log = options.log ?? (() => undefined);
    this.#events = this.#newEmitter();
  }

  /**
   * Connects and asks the daemon what it can do. Never rejects: without a usable bus the
   * notifier reports `buttons: false` and every `show` rejects with NotifierUnavailableError.
   */
  static async create(options: DbusNotifierOptions): Promise<DbusNotifier> {
    const notifier = new DbusNotifier(options);
    await notifier.#connect(options.busAddress ?? process.env.DBUS_SESSION_BUS_ADDRESS);
    return notifier;
  }

  get capabilities(): NotifierCapabilities {
    return this.#capabilities;
  }

  on<E extends keyof NotifierEvents>(event: E, listener: (...args: NotifierEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  show(popup: Popup): Promise<void> {
    return this.#serially(popup.key, () => this.#show(popup));
  }

  close(key: string): Promise<void> {
    return this.#serially(key, async () => {
      const id = this.#idByKey.get(key);
      if (id === undefined) return;
      // Forgotten first: whatever NotificationClosed reason the daemon reports, this was not the user.
      this.#forget(key);
      await this.#closeById(id);
    });
  }

  /**
   * Closes the popups still shown (their buttons would be dead without this connection), then
   * the connection; no event is emitted afterwards.
   */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#events = this.#newEmitter();
    const ids = [...this.#shownById.keys()];
    this.#idByKey.clear();
    this.#shownById.clear();
    await Promise.all(ids.map((id) => this.#closeById(id, 1_000)));
    this.#connection?.close();
    this.#connection = undefined;
    this.#busProblem = 'the notifier was disposed';
  }

  async #connect(address: string | undefined): Promise<void> {
    if (!address) {
      this.#noBus('DBUS_SESSION_BUS_ADDRESS is not set, so there is no session bus to reach');
      return;
    }
    let connection: DbusConnection | undefined;
    try {
      connection = await DbusConnection.open({ address, callTimeoutMs: this.#options.callTimeoutMs });
      connection.onSignal((signal) => this.#onSignal(signal));
      connection.onClosed((reason) => this.#onBusLost(reason));
      // Owner changes first, then the owner: a daemon (re)starting in between cannot be missed.
      await connection.addMatch(DAEMON_OWNER_CHANGES);
      await connection.addMatch(NOTIFICATION_SIGNALS);
      this.#connection = connection;
      this.#daemonOwner = await connection.nameOwner(NOTIFICATIONS.destination);
    } catch (error) {
      connection?.close();
      this.#noBus(message(error));
      return;
    }
    // Also D-Bus-activates a daemon that is installed but not running.
    await this.#queryCapabilities();
  }

  #noBus(reason: string): void {
    this.#connection = undefined;
    this.#busProblem = reason;
    this.#unavailable('bus', reason, { announce: false });
  }

  async #show(popup: Popup): Promise<void> {
    if (this.#disposed) throw new Error('DbusNotifier is disposed');
    const connection = this.#connection;
    if (!connection) throw this.#unavailable('bus', this.#busProblem);

    const withButtons = this.#capabilities.buttons && popup.buttons.length > 0;
    const withSnooze = popup.snooze !== undefined && this.#capabilities.moreActions === true;
    const actions = [
      ...(withButtons ? popup.buttons.flatMap((button) => [button.value, clean(button.label)]) : []),
      ...(withSnooze && popup.snooze ? [SNOOZE_ACTION, clean(popup.snooze.label)] : []),
      'default',
      'Open',
    ];
    const hints: [string, [string, unknown]][] = [
      ['urgency', ['y', URGENCY_BYTE[popup.urgency]]],
      ['desktop-entry', ['s', this.#options.desktopEntry]],
    ];
    if (popup.category) hints.push(['category', ['s', popup.category]]);
    if (popup.silent) hints.push(['suppress-sound', ['b', true]]);
    // A question stays until answered; a popup without buttons may expire (it is also in the window).
    const expireTimeoutMs = withButtons ? 0 : this.#options.expireTimeoutMs;
    const body = this.#bodyMarkup ? escapeMarkup(clean(popup.body)) : clean(popup.body);
    const replacesId = this.#idByKey.get(popup.key) ?? 0;
    const generation = this.#daemonGeneration;

    let reply: unknown[];
    try {
      reply = await connection.call({
        ...NOTIFICATIONS,
        member: 'Notify',
        signature: 'susssasa{sv}i',
        body: [this.#options.appName, replacesId, '', clean(popup.title), body, actions, hints, expireTimeoutMs],
      });
    } catch (error) {
      if (this.#disposed) throw new Error('DbusNotifier is disposed', { cause: error });
      if (!this.#connection) throw this.#unavailable('bus', this.#busProblem);
      if (isNoDaemon(error)) {
        this.#setCapabilities({ buttons: false, reply: false, moreActions: false });
        throw this.#unavailable('daemon', NO_DAEMON);
      }
      this.#log('warn', `Notify for popup ${popup.key} failed: ${message(error)}`);
      throw error;
    }
    const [id] = reply;
    if (typeof id !== 'number') throw new Error(`Notify for popup ${popup.key} returned no id`);
    this.#recovered('daemon');
    // The daemon changed while we waited: that popup went with the old one.
    if (generation !== this.#daemonGeneration || this.#disposed) return;
    if (replacesId !== 0 && replacesId !== id) this.#shownById.delete(replacesId);
    const previous = this.#shownById.get(id);
    if (previous && previous.key !== popup.key) this.#idByKey.delete(previous.key);
    this.#idByKey.set(popup.key, id);
    this.#shownById.set(id, { key: popup.key, values: new Set([...(withButtons ? popup.buttons.map((button) => button.value) : []), ...(withSnooze ? [SNOOZE_ACTION] : [])]) });
  }

  #onSignal(signal: DbusSignal): void {
    if (signal.member === 'NameOwnerChanged' && signal.sender === 'org.freedesktop.DBus') {
      const [name, , newOwner] = signal.body;
      if (name === NOTIFICATIONS.destination && typeof newOwner === 'string') this.#onDaemonOwnerChanged(newOwner);
      return;
    }
    if (signal.interface !== NOTIFICATIONS.interface || signal.path !== NOTIFICATIONS.path) return;
    // Any client on the bus may broadcast on this interface; only the daemon speaks for our popups.
    if (signal.sender === undefined || signal.sender !== this.#daemonOwner) return;
    const [id, detail] = signal.body;
    if (typeof id !== 'number') return;
    const shown = this.#shownById.get(id);
    if (!shown) return;

    if (signal.member === 'ActionInvoked' && typeof detail === 'string') {
      if (detail !== 'default' && !shown.values.has(detail)) {
        this.#log('warn', `ignored unknown action "${detail}" on popup ${shown.key}`);
        return;
      }
      // Forgotten before closing: GNOME reports the close that follows an action as "dismissed".
      this.#forget(shown.key);
      if (detail === 'default') this.#events.emit('opened', shown.key);
      else if (detail === SNOOZE_ACTION) this.#events.emit('snooze', shown.key);
      else this.#events.emit('action', shown.key, detail);
      // dunst leaves the popup up after an action; the answer is given, so take it down.
      void this.#closeById(id);
    } else if (signal.member === 'NotificationClosed') {
      this.#forget(shown.key);
      if (detail === REASON_EXPIRED || detail === REASON_DISMISSED) this.#events.emit('dismissed', shown.key);
    }
  }

  #onDaemonOwnerChanged(newOwner: string): void {
    if (newOwner === (this.#daemonOwner ?? '')) return;
    this.#daemonOwner = newOwner || undefined;
    this.#daemonGeneration += 1;
    this.#idByKey.clear();
    this.#shownById.clear();
    if (!newOwner) {
      // Capabilities stay as they were: an activatable daemon comes back with the next Notify.
      this.#log('info', 'the notification daemon left the session bus; its popups are gone');
      return;
    }
    this.#log('info', `a notification daemon (${newOwner}) is on the session bus`);
    this.#recovered('daemon');
    const generation = this.#daemonGeneration;
    void this.#queryCapabilities().then(() => {
      if (generation === this.#daemonGeneration && !this.#disposed) this.#events.emit('capabilitiesChanged', this.#capabilities);
    });
  }

  #onBusLost(reason: Error): void {
    this.#connection = undefined;
    this.#busProblem = `lost the session bus: ${reason.message}`;
    this.#daemonOwner = undefined;
    this.#daemonGeneration += 1;
    this.#idByKey.clear();
    this.#shownById.clear();
    this.#setCapabilities({ buttons: false, reply: false, moreActions: false });
    this.#unavailable('bus', this.#busProblem);
  }

  async #queryCapabilities(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    try {
      const [list] = await connection.call({ ...NOTIFICATIONS, member: 'GetCapabilities' });
      const capabilities = Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
      this.#bodyMarkup = capabilities.includes('body-markup');
      this.#log('debug', `notification daemon capabilities: ${capabilities.join(' ')}`);
      // No inline reply: the freedesktop spec has none (KDE's "inline-reply" is its own extension).
      const buttons = capabilities.includes('actions');
      this.#capabilities = { buttons, reply: false, moreActions: buttons && MENU_ACTION_SERVERS.has(await this.#serverName(connection)) };
    } catch (error) {
      this.#capabilities = { buttons: false, reply: false, moreActions: false };
      if (isNoDaemon(error)) this.#unavailable('daemon', NO_DAEMON, { announce: false });
      else this.#log('warn', `GetCapabilities failed: ${message(error)}`);
    }
  }

  /** GetServerInformation's name, lower-case ('' when it cannot be asked). */
  async #serverName(connection: DbusConnection): Promise<string> {
    try {
      const [name] = await connection.call({ ...NOTIFICATIONS, member: 'GetServerInformation' });
      return typeof name === 'string' ? name.toLowerCase() : '';
    } catch {
      return '';
    }
  }

  #setCapabilities(capabilities: NotifierCapabilities): void {
    if (capabilities.buttons === this.#capabilities.buttons && capabilities.reply === this.#capabilities.reply && capabilities.moreActions === this.#capabilities.moreActions) return;
    this.#capabilities = capabilities;
    this.#events.emit('capabilitiesChanged', capabilities);
  }

  /**
   * Logs the cause once and emits `unavailable` once per outage (at create time nobody listens
   * yet, so the event waits for the first `show` that fails). Returns the error for `show`.
   */
  #unavailable(cause: Cause, reason: string, { announce = true } = {}): NotifierUnavailableError {
    if (!this.#logged.has(cause)) {
      this.#logged.add(cause);
      this.#log('warn', `native popups unavailable, using the tray window: ${reason}`);
    }
    if (announce && !this.#announced.has(cause)) {
      this.#announced.add(cause);
      this.#events.emit('unavailable', reason);
    }
    return new NotifierUnavailableError(reason);
  }

  /** The cause is gone; should it come back, it is said again. */
  #recovered(cause: Cause): void {
    this.#logged.delete(cause);
    this.#announced.delete(cause);
  }

  #forget(key: string): void {
    const id = this.#idByKey.get(key);
    this.#idByKey.delete(key);
    if (id !== undefined) this.#shownById.delete(id);
  }

  /** Best effort: a popup that is already gone, or a bus that is, leaves nothing to close. */
  async #closeById(id: number, timeoutMs?: number): Promise<void> {
    try {
      await this.#connection?.call({ ...NOTIFICATIONS, member: 'CloseNotification', signature: 'u', body: [id] }, timeoutMs);
    } catch (error) {
      this.#log('debug', `CloseNotification(${id}) failed: ${message(error)}`);
    }
  }

  #serially(key: string, task: () => Promise<void>): Promise<void> {
    const run = (this.#queues.get(key) ?? Promise.resolve()).then(task);
    const settled = run.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return run;
  }

  #newEmitter(): Emitter<NotifierEvents> {
    return new Emitter<NotifierEvents>((error) => this.#log('error', `a notifier listener threw: ${message(error)}`));
  }
}

function isNoDaemon(error: unknown): boolean {
  if (!(error instanceof DbusError)) return false;
  return error.dbusName === 'org.freedesktop.DBus.Error.ServiceUnknown' || error.dbusName === 'org.freedesktop.DBus.Error.NameHasNoOwner' || error.dbusName.startsWith('org.freedesktop.DBus.Error.Spawn.');
}

/** D-Bus strings cannot carry NUL. */
function clean(text: string): string {
  return text.replaceAll('\0', '');
}

/** For daemons with "body-markup": plain text must not be read as tags or entities. */
function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
