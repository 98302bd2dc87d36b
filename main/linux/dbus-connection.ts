/**
 * A small promise-based wrapper over one @homebridge/dbus-native bus connection: method calls
 * with a timeout, match rules, raw signals (with their sender, which dbus-native's own signal
 * emitter drops), and one `closed` notice when the bus goes away. dbus-native never answers the
 * callbacks of calls in flight when the socket dies, so this wrapper settles them itself.
 */
import { messageType, sessionBus, type DbusNativeMessage, type DbusNativeReplyError, type MessageBus } from '@homebridge/dbus-native';

/** A D-Bus error reply, e.g. `org.freedesktop.DBus.Error.ServiceUnknown`. */
export class DbusError extends Error {
  constructor(
    readonly dbusName: string,
    message: string,
  ) {
    super(message ? `${dbusName}: ${message}` : dbusName);
    this.name = 'DbusError';
  }
}

/** The connection is gone (closed by us, or lost), so the call cannot be answered. */
export class DbusDisconnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbusDisconnectedError';
  }
}

export interface DbusCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  /** D-Bus signature of `body`, e.g. "susssasa{sv}i"; omit for no arguments. */
  signature?: string;
  /** Arguments; a variant is `[signature, value]`, a dict `[[key, value], ...]`. */
  body?: unknown[];
}

export interface DbusSignal {
  /** Unique name of the sending connection (":1.42"), or "org.freedesktop.DBus" for the bus. */
  sender: string | undefined;
  path: string | undefined;
  interface: string | undefined;
  member: string | undefined;
  body: unknown[];
}

export interface DbusConnectionOptions {
  /** A D-Bus address: `unix:path=`, `unix:abstract=` or `tcp:` (the first entry that parses). */
  address: string;
  /** How long the socket connection and authentication may take. */
  connectTimeoutMs?: number;
  /** How long any call may wait for its reply. */
  callTimeoutMs?: number;
}

const BUS = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus' } as const;

export class DbusConnection {
  readonly #bus: MessageBus;
  readonly #callTimeoutMs: number;
  readonly #pending = new Set<(error: Error) => void>();
  readonly #signalListeners = new Set<(signal: DbusSignal) => void>();
  readonly #closedListeners = new Set<(reason: Error) => void>();
  #closed = false;

  private constructor(bus: MessageBus, callTimeoutMs: number) {
    this.#bus = bus;
    this.#callTimeoutMs = callTimeoutMs;
  }

  /** Connects and authenticates; rejects with a readable Error if the bus cannot be reached. */
  static open(options: DbusConnectionOptions): Promise<DbusConnection> {
    const { address, connectTimeoutMs = 5_000, callTimeoutMs = 10_000 } = options;
    if (!/^[a-z]+:/.test(address)) return Promise.reject(new Error(`"${address}" is not a D-Bus address`));
    let bus: MessageBus;
    try {
      const abstract = abstractSocket(address);
      // dbus-native opens abstract sockets only through an optional native module; Node's own net
      // reaches Linux's abstract namespace with a leading NUL (nodejs.org/api/net.html, IPC support).
      bus = sessionBus(abstract === undefined ? { busAddress: address } : { socket: `\0${abstract}` });
    } catch (error) {
      return Promise.reject(new Error(`unusable D-Bus address ${address}: ${describe(error)}`));
    }
    const self = new DbusConnection(bus, callTimeoutMs);
    const connection = bus.connection;
    return new Promise((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(() => fail(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        self.close();
        reject(new Error(`cannot connect to the D-Bus at ${address}: ${error.message}`));
      };
      // Attached at once: an 'error' event without a listener would crash the process.
      connection.on('error', (error: Error) => (connected ? self.#lost(error) : fail(error)));
      connection.on('end', () => (connected ? self.#lost(new Error('the bus closed the connection')) : fail(new Error('connection closed during authentication'))));
      connection.on('message', (msg: DbusNativeMessage) => self.#onMessage(msg));
      connection.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        resolve(self);
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Calls a method; resolves with the reply's values, rejects with DbusError or on timeout. */
  call(call: DbusCall, timeoutMs = this.#callTimeoutMs): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new DbusDisconnectedError('the D-Bus connection is closed'));
    return new Promise((resolve, reject) => {
      const settle = (error: Error | undefined, values: unknown[] = []): void => {
        if (!this.#pending.delete(abort)) return;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(values);
      };
      const abort = (error: Error): void => settle(error);
      const timer = setTimeout(() => settle(new Error(`${call.interface}.${call.member} got no reply within ${timeoutMs} ms`)), timeoutMs);
      this.#pending.add(abort);
      const msg: DbusNativeMessage = { type: messageType.methodCall, destination: call.destination, path: call.path, interface: call.interface, member: call.member };
      if (call.signature) {
        msg.signature = call.signature;
        msg.body = call.body ?? [];
      }
      try {
        this.#bus.invoke(msg, (error: DbusNativeReplyError | null | undefined, ...values: unknown[]) => settle(error ? toError(error) : undefined, values));
      } catch (error) {
        // dbus-native marshals synchronously: a body that does not fit the signature throws here.
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Asks the bus to route matching broadcast signals to us (unicast ones arrive anyway). */
  async addMatch(rule: string): Promise<void> {
    await this.call({ ...BUS, member: 'AddMatch', signature: 's', body: [rule] });
  }

  /** The unique name owning `name`, or undefined when nobody owns it. */
  async nameOwner(name: string): Promise<string | undefined> {
    try {
      const [owner] = await this.call({ ...BUS, member: 'GetNameOwner', signature: 's', body: [name] });
      return typeof owner === 'string' ? owner : undefined;
    } catch (error) {
      if (error instanceof DbusError && error.dbusName === 'org.freedesktop.DBus.Error.NameHasNoOwner') return undefined;
      throw error;
    }
  }

  /**
   * One property (org.freedesktop.DBus.Properties.Get), its variant unwrapped (dbus-native gives
   * `[signature tree, [value]]`); rejects as `call` does when the object or property is missing.
   */
  async property(target: { destination: string; path: string }, iface: string, name: string): Promise<unknown> {
    const [variant] = await this.call({ ...target, interface: 'org.freedesktop.DBus.Properties', member: 'Get', signature: 'ss', body: [iface, name] });
    return variantValue(variant);
  }

  onSignal(listener: (signal: DbusSignal) => void): () => void {
    this.#signalListeners.add(listener);
    return () => this.#signalListeners.delete(listener);
  }

  /** Called once if the connection is lost; not when we close it ourselves. */
  onClosed(listener: (reason: Error) => void): () => void {
    this.#closedListeners.add(listener);
    return () => this.#closedListeners.delete(listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signalListeners.clear();
    this.#closedListeners.clear();
    this.#abortPending(new DbusDisconnectedError('the D-Bus connection was closed'));
    this.#bus.connection.stream.destroy();
  }

  #lost(reason: Error): void {
    if (this.#closed) return;
    const listeners = [...this.#closedListeners];
    this.close();
    for (const listener of listeners) listener(reason);
  }

  #abortPending(error: Error): void {
    for (const abort of [...this.#pending]) abort(error);
  }

  #onMessage(msg: DbusNativeMessage): void {
    if (msg.type !== messageType.signal) return;
    const signal: DbusSignal = { sender: msg.sender, path: msg.path, interface: msg.interface, member: msg.member, body: msg.body ?? [] };
    for (const listener of [...this.#signalListeners]) {
      // A throwing listener must not escape into dbus-native's socket reader.
      try {
        listener(signal);
      } catch {
        // The listener owns its errors; nothing sensible to do here.
      }
    }
  }
}

function toError(error: DbusNativeReplyError): Error {
  if (error instanceof Error) return error;
  return new DbusError(error.name, error.message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** dbus-native gives a variant as [signature tree, [value]]. */
export function variantValue(variant: unknown): unknown {
  return Array.isArray(variant) && variant.length === 2 && Array.isArray(variant[1]) ? variant[1][0] : undefined;
}

/** A match rule for the bus's NameOwnerChanged about `name` (a service starting, restarting or leaving). */
export function ownerChangesRule(name: string): string {
  return `type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${name}'`;
}

/**
 * The socket name of a `unix:abstract=` address when that is the first entry of the list (D-Bus
 * tries entries in order), with D-Bus's %xx escapes undone; undefined for any other address.
 */
export function abstractSocket(address: string): string | undefined {
  const first = address.split(';')[0] ?? '';
  const match = /^unix:(?:.*,)?abstract=([^,]*)/.exec(first);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
