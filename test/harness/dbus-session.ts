/**
 * A private D-Bus session bus per test, optionally with python-dbusmock's notification daemon on
 * it: what the app sent (the mock records every call), buttons pressed and popups closed "by the
 * server" (signals emitted by the mock object itself — a signal from another connection, as
 * `gdbus emit` sends, is not from the name's owner and the notifier rightly ignores it).
 *
 * The bus runs from its own config: a `unix:path=` socket (dbus-native cannot open abstract
 * ones) and no service directories, so nothing is D-Bus-activated behind the test's back (the
 * system's dunst.service would otherwise answer for a missing daemon).
 *
 * The harness talks to the bus through the app's own DbusConnection: the replies it decodes come
 * from dbus-python (the mock), so the two sides are independent implementations.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbusConnection, ownerChangesRule, type DbusSignal } from '../../main/linux/dbus-connection';
import { firstLine, runs, spawnGroup, type GroupProcess } from './processes';

/** Debian's python3 has the `dbus` module; a pyenv python earlier on PATH may not. */
export const PYTHON = '/usr/bin/python3';
const NOTIFICATIONS = { destination: 'org.freedesktop.Notifications', path: '/org/freedesktop/Notifications' } as const;
const MOCK_IFACE = 'org.freedesktop.DBus.Mock';

export const NO_SESSION_BUS = 'skipped: no session bus available — install dbus, python3-dbusmock';

let canStart: boolean | undefined;
/** dbus-daemon and python3-dbusmock are installed (checked once per worker). */
export function canStartSessionBus(): boolean {
  canStart ??= runs('dbus-daemon', ['--version']) && runs(PYTHON, ['-c', 'import dbus, dbusmock']);
  return canStart;
}

/** A variant as the mock saw it: its D-Bus signature and its value. */
export interface Variant {
  signature: string;
  value: unknown;
}

/** One Notify call, decoded from the mock's record. */
export interface NotifyCall {
  appName: string;
  replacesId: number;
  appIcon: string;
  summary: string;
  body: string;
  actions: string[];
  hints: Record<string, Variant>;
  expireTimeoutMs: number;
}

export interface DbusSession {
  /** `unix:path=...` */
  address: string;
  /** process.env with DBUS_SESSION_BUS_ADDRESS pointing at this bus. */
  env: NodeJS.ProcessEnv;
  /** The harness's own connection to the bus. */
  connection: DbusConnection;
  /** Starts dbusmock's notification daemon (stopping any previous one) and waits until it owns the name. */
  startDaemon(capabilities?: string[]): Promise<void>;
  /** Stops the daemon and waits until the name is released. */
  stopDaemon(): Promise<void>;
  /** Waits until org.freedesktop.Notifications is owned (or not), by whatever process. */
  awaitNotificationsOwner(owned: boolean, daemon?: GroupProcess): Promise<void>;
  /** The arguments of each recorded call of `method` on the mock, oldest first. */
  mockCalls(method: string): Promise<Variant[][]>;
  notifyCalls(): Promise<NotifyCall[]>;
  /** The mock emits ActionInvoked(id, actionKey). */
  pressButton(serverId: number, actionKey: string): Promise<void>;
  /** The mock emits NotificationClosed(id, reason). */
  closeFromServer(serverId: number, reason: number): Promise<void>;
  /** Replaces a method of the mock daemon; `code` is dbusmock's Python (`args`, `self`, `dbus`; set `ret`). */
  replaceMethod(name: string, inSignature: string, outSignature: string, code: string): Promise<void>;
  /** Kills the bus itself, as when the session ends under the app. */
  killBus(): Promise<void>;
  /** Resolves with the body of the next org.freedesktop.Notifications signal named `member`. */
  nextSignal(member: 'ActionInvoked' | 'NotificationClosed', timeoutMs?: number): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * `listen: 'abstract'` makes the daemon listen on a Linux abstract socket (`unix:abstract=`), as
 * many desktop sessions' buses do; default a socket file (`unix:path=`).
 */
export async function startSessionBus(options: { listen?: 'path' | 'abstract' } = {}): Promise<DbusSession> {
  const dir = mkdtempSync(join(tmpdir(), 'b24-dbus-'));
  const configPath = join(dir, 'bus.conf');
  writeFileSync(
    configPath,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>${options.listen === 'abstract' ? `unix:abstract=${join(dir, 'bus')}` : `unix:path=${join(dir, 'bus')}`}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const bus = spawnGroup('dbus-daemon', [`--config-file=${configPath}`, '--nofork', '--print-address=1']);
  let connection: DbusConnection | undefined;
  let daemon: GroupProcess | undefined;
  const cleanup = async (): Promise<void> => {
    connection?.close();
    await daemon?.stop();
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const address = await firstLine(bus.child.stdout!, 'dbus-daemon --print-address');
    const expected = options.listen === 'abstract' ? 'unix:abstract=' : 'unix:path=';
    if (!address.startsWith(expected)) throw new Error(`dbus-daemon listens on ${address}, not a ${expected} socket`);
    connection = await DbusConnection.open({ address });
    await connection.addMatch(ownerChangesRule('org.freedesktop.Notifications'));
    await connection.addMatch("type='signal',interface='org.freedesktop.Notifications'");
    const conn = connection;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address };

    const mock = (member: string, signature?: string, body?: unknown[]): Promise<unknown[]> =>
      conn.call({ ...NOTIFICATIONS, interface: MOCK_IFACE, member, ...(signature ? { signature, body } : {}) });

    const session: DbusSession = {
      address,
      env,
      connection: conn,

      async startDaemon(capabilities = ['actions', 'body']) {
        await session.stopDaemon();
        const params = JSON.stringify({ capabilities: capabilities.join(' ') });
        daemon = spawnGroup(PYTHON, ['-m', 'dbusmock', '--session', '--template', 'notification_daemon', '-p', params], { env });
        daemon.child.stdout?.resume();
        await session.awaitNotificationsOwner(true, daemon);
      },

      async stopDaemon() {
        if (!daemon) return;
        const gone = session.awaitNotificationsOwner(false);
        await daemon.stop();
        daemon = undefined;
        await gone;
      },

      awaitNotificationsOwner(owned, owner) {
        return new Promise((resolve, reject) => {
          const finish = (error?: Error): void => {
            clearTimeout(timer);
            off();
            if (error) reject(error);
            else resolve();
          };
          const timer = setTimeout(() => finish(new Error(`org.freedesktop.Notifications still ${owned ? 'unowned' : 'owned'} after 10 s; daemon stderr: ${owner?.stderr() ?? ''}`)), 10_000);
          const off = conn.onSignal((signal) => {
            if (signal.member !== 'NameOwnerChanged' || signal.body[0] !== 'org.freedesktop.Notifications') return;
            if ((signal.body[2] !== '') === owned) finish();
          });
          // The daemon may die before it takes the name: say so rather than wait for the timeout.
          void owner?.exited.then((code) => finish(new Error(`the daemon exited (${String(code)}) before taking the name: ${owner.stderr()}`)));
          // Subscribed first, then asked: no change can slip between the two.
          conn.nameOwner('org.freedesktop.Notifications').then((owner) => {
            if ((owner !== undefined) === owned) finish();
          }, finish);
        });
      },

      async mockCalls(method) {
        const [calls] = await mock('GetMethodCalls', 's', [method]);
        // a(tav): [[timestamp, [variant, ...]], ...]
        return (calls as [number, unknown[]][]).map(([, args]) => args.map((arg) => decodeVariant(arg)));
      },

      async notifyCalls() {
        return (await session.mockCalls('Notify')).map((args) => {
          const [appName, replacesId, appIcon, summary, body, actions, hints, expireTimeoutMs] = args.map((arg) => arg.value);
          return {
            appName: appName as string,
            replacesId: replacesId as number,
            appIcon: appIcon as string,
            summary: summary as string,
            body: body as string,
            actions: actions as string[],
            hints: hints as Record<string, Variant>,
            expireTimeoutMs: expireTimeoutMs as number,
          };
        });
      },

      async pressButton(serverId, actionKey) {
        await mock('EmitSignal', 'sssav', ['org.freedesktop.Notifications', 'ActionInvoked', 'us', [['u', serverId], ['s', actionKey]]]);
      },

      async closeFromServer(serverId, reason) {
        await mock('EmitSignal', 'sssav', ['org.freedesktop.Notifications', 'NotificationClosed', 'uu', [['u', serverId], ['u', reason]]]);
      },

      async replaceMethod(name, inSignature, outSignature, code) {
        await mock('AddMethod', 'sssss', ['org.freedesktop.Notifications', name, inSignature, outSignature, code]);
      },

      async killBus() {
        await bus.stop();
      },

      nextSignal(member, timeoutMs = 5_000) {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            off();
            reject(new Error(`no ${member} signal within ${timeoutMs} ms`));
          }, timeoutMs);
          const off = conn.onSignal((signal: DbusSignal) => {
            if (signal.interface !== 'org.freedesktop.Notifications' || signal.member !== member) return;
            clearTimeout(timer);
            off();
            resolve(signal.body);
          });
        });
      },

      close: cleanup,
    };
    return session;
  } catch (error) {
    await cleanup();
    throw new Error(`cannot start a private session bus: ${error instanceof Error ? error.message : String(error)}; dbus-daemon stderr: ${bus.stderr()}`, { cause: error });
  }
}

/** dbus-native's signature tree node. */
interface TypeTree {
  type: string;
  child: TypeTree[];
}

function signatureOf(tree: TypeTree): string {
  if (tree.type === 'a') return `a${tree.child.map(signatureOf).join('')}`;
  if (tree.type === '(') return `(${tree.child.map(signatureOf).join('')})`;
  if (tree.type === '{') return `{${tree.child.map(signatureOf).join('')}}`;
  return tree.type;
}

/** dbus-native reads a variant as `[[typeTree], [value]]`. */
function decodeVariant(raw: unknown): Variant {
  const [trees, values] = raw as [TypeTree[], unknown[]];
  const tree = trees[0]!;
  return { signature: signatureOf(tree), value: decode(tree, values[0]) };
}

/** Turns dbus-native's unmarshalled value into plain JS: dicts become objects, variants Variant. */
function decode(tree: TypeTree, value: unknown): unknown {
  switch (tree.type) {
    case 'v':
      return decodeVariant(value);
    case 'a': {
      const element = tree.child[0]!;
      const items = value as unknown[];
      if (element.type === '{') {
        return Object.fromEntries((items as [unknown, unknown][]).map(([key, item]) => [key, decode(element.child[1]!, item)]));
      }
      return items.map((item) => decode(element, item));
    }
    case '(':
      return (value as unknown[]).map((item, index) => decode(tree.child[index]!, item));
    default:
      return value;
  }
}
