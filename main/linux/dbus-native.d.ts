/**
 * What main/linux uses of @homebridge/dbus-native 0.7.9 that its own index.d.ts leaves out
 * (sessionBus, the raw message shape, the connection's message/end). Checked against the
 * package's lib/bus.js and index.js.
 */
import type { EventEmitter } from 'node:events';

declare module '@homebridge/dbus-native' {
  /** A raw D-Bus message as dbus-native marshals and unmarshals it. */
  interface DbusNativeMessage {
    /** 1 method call, 2 method return, 3 error, 4 signal. */
    type?: number;
    serial?: number;
    replySerial?: number;
    path?: string;
    interface?: string;
    member?: string;
    destination?: string;
    sender?: string;
    errorName?: string;
    signature?: string;
    body?: unknown[];
  }

  /** An error reply ({ name, message, body }) or, when Hello was refused, a real Error. */
  type DbusNativeReplyError = Error | { name: string; message: string; body?: unknown[] };

  // Merges with the class of the same name in the package's typings.
  interface BusConnection extends EventEmitter {
    /** Queues a message (buffered until the handshake is done). */
    message(msg: DbusNativeMessage): void;
    end(): BusConnection;
  }

  interface MessageBus {
    /** The unique name from Hello, once it has answered. */
    name?: string;
    invokeDbus(msg: DbusNativeMessage, callback: (error: DbusNativeReplyError | null | undefined, ...values: unknown[]) => void): void;
  }

  /**
   * Connects to `busAddress` (default DBUS_SESSION_BUS_ADDRESS), or to `socket`, a path (or NUL +
   * name for a Linux abstract socket) that net.createConnection opens (index.js createStream).
   * Throws at once on an unusable address.
   */
  function sessionBus(options?: { busAddress?: string; socket?: string }): MessageBus;

  const messageType: { methodCall: 1; methodReturn: 2; error: 3; signal: 4 };
}
