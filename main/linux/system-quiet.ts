/**
 * The desktop's own Do-Not-Disturb on Linux (issue 17), followed live, never polled:
 * - KDE Plasma: the notification server's `Inhibited` property (org.freedesktop.Notifications on
 *   /org/freedesktop/Notifications; plasma-workspace announces changes with PropertiesChanged);
 * - dunst: `paused` on its org.dunstproject.cmd0 interface (same object; `dunstctl set-paused`);
 * - GNOME: GSettings `org.gnome.desktop.notifications show-banners` = false, read once and then
 *   followed by one `gsettings monitor` process (GNOME Shell keeps its own popups back then).
 * The system is quiet while any of them says so. A source the desktop does not have stays
 * unknown and counts as not quiet. Our sound stays silent and our popups wait for the digest
 * while it is quiet (core/notifier/popup-presenter.ts `osDoNotDisturb`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { DbusConnection, ownerChangesRule, variantValue, type DbusSignal } from './dbus-connection';

const SERVER = { destination: 'org.freedesktop.Notifications', path: '/org/freedesktop/Notifications' } as const;
const PROPERTIES = 'org.freedesktop.DBus.Properties';
const KDE = { interface: 'org.freedesktop.Notifications', property: 'Inhibited' } as const;
const DUNST = { interface: 'org.dunstproject.cmd0', property: 'paused' } as const;
const GNOME = { schema: 'org.gnome.desktop.notifications', key: 'show-banners' } as const;
const PROPERTY_CHANGES = `type='signal',interface='${PROPERTIES}',member='PropertiesChanged',path='${SERVER.path}'`;
const SERVER_OWNER_CHANGES = ownerChangesRule(SERVER.destination);

export interface SystemQuietState {
  /** KDE's notification server inhibits popups. */
  inhibited?: boolean;
  /** dunst is paused. */
  dunstPaused?: boolean;
  /** GNOME shows banners (false = Do Not Disturb). */
  gnomeBanners?: boolean;
}

export interface SystemQuietOptions {
  /** The session bus; without one only GNOME's setting is followed. */
  busAddress?: string;
  /** `gsettings` on PATH (false to leave GNOME out). */
  gsettings?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export class SystemQuiet {
  #state: SystemQuietState = {};
  readonly #listeners = new Set<(quiet: boolean) => void>();
  #connection: DbusConnection | undefined;
  #monitor: ChildProcess | undefined;
  readonly #log: (message: string) => void;

  private constructor(log: (message: string) => void) {
    this.#log = log;
  }

  static async start(options: SystemQuietOptions): Promise<SystemQuiet> {
    const quiet = new SystemQuiet(options.log ?? (() => undefined));
    await Promise.all([quiet.#followBus(options.busAddress), options.gsettings === false ? undefined : quiet.#followGnome(options.env ?? process.env)]);
    return quiet;
  }

  /** Whether the desktop holds notifications back now. */
  get quiet(): boolean {
    const state = this.#state;
    return state.inhibited === true || state.dunstPaused === true || state.gnomeBanners === false;
  }

  get state(): Readonly<SystemQuietState> {
    return this.#state;
  }

  onChange(listener: (quiet: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose(): void {
    this.#connection?.close();
    this.#connection = undefined;
    this.#monitor?.kill();
    this.#monitor = undefined;
  }

  #set(change: SystemQuietState): void {
    const before = this.quiet;
    this.#state = { ...this.#state, ...change };
    if (this.quiet !== before) for (const listener of this.#listeners) listener(this.quiet);
  }

  async #followBus(address: string | undefined): Promise<void> {
    if (!address) return;
    try {
      const connection = await DbusConnection.open({ address, callTimeoutMs: 2_000 });
      this.#connection = connection;
      connection.onSignal((signal) => this.#onSignal(signal));
      // Subscribed first, then read: a change in between cannot be missed.
      await connection.addMatch(PROPERTY_CHANGES);
      await connection.addMatch(SERVER_OWNER_CHANGES);
      await this.#readServer();
    } catch (error) {
      this.#log(`system do-not-disturb: the session bus cannot be followed (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** Reads both properties; a server without one (GNOME, or not running) leaves it unknown. */
  async #readServer(): Promise<void> {
    const read = async (source: { interface: string; property: string }): Promise<boolean | undefined> => {
      try {
        const value = await this.#connection?.property(SERVER, source.interface, source.property);
        return typeof value === 'boolean' ? value : undefined;
      } catch {
        return undefined;
      }
    };
    const [inhibited, dunstPaused] = await Promise.all([read(KDE), read(DUNST)]);
    this.#set({ inhibited, dunstPaused });
  }

  #onSignal(signal: DbusSignal): void {
    if (signal.member === 'NameOwnerChanged') {
      // Another notification server took over (or none is left): read again.
      void this.#readServer();
      return;
    }
    if (signal.interface !== PROPERTIES || signal.member !== 'PropertiesChanged' || signal.path !== SERVER.path) return;
    const [iface, changed, invalidated] = signal.body as [string, [string, unknown][], string[] | undefined];
    const source = iface === KDE.interface ? KDE : iface === DUNST.interface ? DUNST : undefined;
    if (!source) return;
    const field = source === KDE ? 'inhibited' : 'dunstPaused';
    const entry = (changed ?? []).find(([name]) => name === source.property);
    if (entry) {
      const value = variantValue(entry[1]);
      if (typeof value === 'boolean') this.#set({ [field]: value });
    } else if ((invalidated ?? []).includes(source.property)) {
      void this.#readServer();
    }
  }

  async #followGnome(env: NodeJS.ProcessEnv): Promise<void> {
    const get = spawnSync('gsettings', ['get', GNOME.schema, GNOME.key], { env, encoding: 'utf8', timeout: 2_000 });
    // No gsettings, or no such schema (not a GNOME-family desktop): nothing to follow.
    if (get.status !== 0) return;
    this.#set({ gnomeBanners: get.stdout.trim() !== 'false' });
    const monitor = spawn('gsettings', ['monitor', GNOME.schema, GNOME.key], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    this.#monitor = monitor;
    monitor.on('error', (error) => this.#log(`system do-not-disturb: gsettings monitor failed (${error.message})`));
    let pending = '';
    monitor.stdout?.setEncoding('utf8');
    monitor.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      // "show-banners: false"
      for (const line of lines) {
        const match = /^show-banners:\s*(true|false)\s*$/.exec(line.trim());
        if (match) this.#set({ gnomeBanners: match[1] === 'true' });
      }
    });
    monitor.unref();
  }
}

/**
 * The system's quiet state for the popup presenter, without holding up startup: not quiet until
 * the sources have answered (a bus that hangs must not delay the tray). Linux only; elsewhere the
 * system holds banners back itself and Electron does not say whether it does (README).
 */
export function followSystemQuiet(options: SystemQuietOptions & { platform?: NodeJS.Platform }): { quiet(): boolean; dispose(): void } {
  if ((options.platform ?? process.platform) !== 'linux') return { quiet: () => false, dispose: () => undefined };
  let followed: SystemQuiet | undefined;
  let disposed = false;
  void SystemQuiet.start(options).then((started) => {
    if (disposed) started.dispose();
    else followed = started;
  });
  return {
    quiet: () => followed?.quiet ?? false,
    dispose: () => {
      disposed = true;
      followed?.dispose();
    },
  };
}
