/**
 * The whole app without Electron: the real core in Node (engines, confirm service, storage in a
 * temp dir, the D-Bus notifier when a session bus exists), the built tray window served on
 * loopback, and the window's `api` bridged over a WebSocket guarded by a random token and our own
 * Origin. Loopback only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AccountStore, type AccountConfig } from '../../../main/core/accounts/account-store';
import { AccountsService } from '../../../main/core/app/accounts-service';
import { connectWebhook, reconnectWebhook } from '../../../main/core/app/connect';
import { connectOAuth, reconnectOAuth, type OAuthConnectInput } from '../../../main/core/app/connect-oauth';
import { engineFactory } from '../../../main/core/app/start-accounts';
import { NotificationHub } from '../../../main/core/app/hub';
import { AvatarStore } from '../../../main/core/app/avatar-store';
import { StateFeed } from '../../../main/core/app/state-feed';
import { SettingsService } from '../../../main/core/app/settings-service';
import { NO_AUTOSTART } from '../../../main/core/settings/autostart';
import { systemClock } from '../../../main/core/clock';
import { createIpcDispatcher, type IpcDispatch } from '../../../main/core/ipc/dispatcher';
import { hubIpcHandlers } from '../../../main/core/ipc/handlers';
import { PopupPresenter } from '../../../main/core/notifier/popup-presenter';
import { SettingsStore } from '../../../main/core/settings/settings';
import { ProcessSecretBox } from '../../../main/core/storage/process-secret-box';
import { DbusNotifier } from '../../../main/linux/dbus-notifier';
import { BRIDGE_PATH, type BridgeMessage, type BridgeRequest } from '../../../main/shared/bridge-protocol';
import { IpcEvents } from '../../../main/shared/ipc-contract';
import { tempStorage } from '../engine-harness';

export interface PreviewOptions {
  /** A webhook to connect at start (plain http is accepted only for a loopback portal). */
  webhook?: string;
  /** More portals to connect at start, each with an optional display name. */
  webhooks?: { url: string; name?: string }[];
  port?: number;
  /** The built renderer (npm run build). */
  rendererDir?: string;
  /** Show OS popups through D-Bus when a session bus exists (default: true). */
  popups?: boolean;
  /** Where OAuth sign-in pages go; by default the URL is printed for the user to open. */
  openExternal?: (url: string) => void | Promise<void>;
  /** The OAuth token endpoint (the simulator's in tests); Bitrix24's own by default. */
  tokenUrl?: string;
}

export interface Preview {
  /** Open this in a browser; the token rides in the fragment, so it never reaches logs. */
  url: string;
  hub: NotificationHub;
  settings: SettingsStore;
  portals: AccountsService;
  /** The window's IPC, as the bridge hands it on (tests call channels directly). */
  dispatch: IpcDispatch;
  close(): Promise<void>;
}

/** What the built window's files are served as (the benchmark serves the same build). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The Host names the preview answers to: a page on any other name reached us by DNS rebinding. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export type PreviewRoute = { status: 200; file: string; isIndex: boolean } | { status: 400 | 403 | 404 | 405 };

/**
 * Which built file a request may read, decided before touching the disk. Bad percent-encoding is
 * the client's error (400), not ours; the resolved path must stay inside the build folder, compared
 * with path.relative so a sibling such as `renderer-private` is not "inside" `renderer`.
 */
export function previewRoute(req: Pick<IncomingMessage, 'url' | 'method' | 'headers'>, rendererDir: string, port: number): PreviewRoute {
  if (!isOwnHost(req.headers.host, port)) return { status: 403 };
  if (req.method !== 'GET') return { status: 405 };
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://preview.invalid').pathname);
  } catch {
    return { status: 400 };
  }
  if (path.includes('\0')) return { status: 400 };
  const isIndex = path === '/';
  const file = resolve(rendererDir, '.' + (isIndex ? '/index.html' : path));
  const inside = relative(rendererDir, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { status: 404 };
  return { status: 200, file, isIndex };
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const rendererDir = resolve(options.rendererDir ?? join(import.meta.dirname, '..', '..', '..', 'dist', 'renderer'));
  const token = randomBytes(24).toString('base64url');
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const settings = new SettingsStore(storage);
  const hub = new NotificationHub((error) => console.warn('[preview]', error));
  hub.useSnoozes(storage, systemClock);
  const portals = new AccountsService({
    accounts,
    hub,
    storage,
    createEngine: engineFactory(accounts, storage, { pollIntervalMs: () => settings.current.pollIntervalMs }),
    onAccountError: (_id, error) => console.warn('[preview]', error),
  });
  const start = (account: AccountConfig): Promise<void> => portals.startConnected(account);
  const connect = (url: string, connectOptions?: { allowHttp?: boolean }) => connectWebhook(url, { accounts, start }, connectOptions);
  const openExternal = options.openExternal ?? ((url: string) => console.log(`open to approve B24 Notify: ${url}`));
  const tokenUrl = options.tokenUrl ? { tokenUrl: options.tokenUrl } : {};
  const connectWithApp = (input: OAuthConnectInput, signal: AbortSignal) => connectOAuth(input, { accounts, start, openExternal, signal, ...tokenUrl });
  const secretBox = new ProcessSecretBox();
  // The preview never touches the real login items of the machine it runs on.
  const settingsService = new SettingsService({ settings, accounts, hub, autostart: NO_AUTOSTART, secretBox });
  const feed = new StateFeed(hub, new AvatarStore(hub));
  const dispatch = createIpcDispatcher(
    hubIpcHandlers({
      hub,
      feed,
      appInfo: () => ({ version: 'preview', platform: process.platform }),
      connectWebhook: connect,
      connectOAuth: connectWithApp,
      reconnectWebhook: (accountId, url) => reconnectWebhook(accountId, url, { accounts, restart: (account) => portals.restart(account) }),
      reconnectOAuth: (accountId, signal) => reconnectOAuth(accountId, { accounts, restart: (account) => portals.restart(account), openExternal, signal, ...tokenUrl }),
      settings: settingsService,
      portals,
    }),
    (error) => console.warn('[preview]', error),
  );

  const sockets = new Set<WebSocket>();
  const broadcast = (message: BridgeMessage): void => {
    const text = JSON.stringify(message);
    for (const socket of sockets) socket.send(text);
  };
  feed.onMessage((message) => broadcast({ kind: 'event', event: IpcEvents.stateChanged, payload: message }));

  let presenter: PopupPresenter | undefined;
  let notifier: DbusNotifier | undefined;
  if ((options.popups ?? true) && process.env.DBUS_SESSION_BUS_ADDRESS) {
    notifier = await DbusNotifier.create({ appName: 'B24 Notify (preview)', desktopEntry: 'b24-notify' });
    presenter = new PopupPresenter({
      hub,
      notifier,
      clock: systemClock,
      settings: () => settings.current,
      isMuted: (accountId, settingName) => portals.isMuted(accountId, settingName),
      openWindow: (target) => {
        if (target) broadcast({ kind: 'event', event: IpcEvents.revealItem, payload: target });
      },
      playSound: () => broadcast({ kind: 'event', event: IpcEvents.playSound, payload: null }),
    });
  }

  const serveFile = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const decision = previewRoute(req, rendererDir, port);
    if (decision.status !== 200) {
      res.writeHead(decision.status).end();
      return;
    }
    try {
      const body = await readFile(decision.file);
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(decision.file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end(decision.isIndex ? 'Build the window first: npm run build' : '');
    }
  };
  let port = 0;
  // One bad request must never end the host: whatever serveFile throws becomes a 500 for that request.
  const server = createServer((req, res) => {
    serveFile(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const bridge = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://preview.invalid');
    const ownOrigin = `http://${req.headers.host ?? ''}`;
    // Any web page can open a socket to loopback: only our page, with our token, gets through.
    if (!isOwnHost(req.headers.host, port) || url.pathname !== BRIDGE_PATH || !sameToken(url.searchParams.get('token'), token) || req.headers.origin !== ownOrigin) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    bridge.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let request: BridgeRequest;
        try {
          request = JSON.parse(String(data)) as BridgeRequest;
        } catch {
          return; // not our page's message; nothing to answer
        }
        if (typeof request?.id !== 'number') return;
        void dispatch(String(request.channel), request.payload).then((result) => ws.send(JSON.stringify({ kind: 'reply', id: request.id, result } satisfies BridgeMessage)));
      });
    });
  });
  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  port = (server.address() as AddressInfo).port;

  if (options.webhook) await connect(options.webhook);
  for (const extra of options.webhooks ?? []) {
    const account = await connect(extra.url);
    if (extra.name) await portals.update(account.id, { name: extra.name });
  }

  return {
    url: `http://127.0.0.1:${port}/#${token}`,
    hub,
    settings,
    portals,
    dispatch,
    close: async () => {
      presenter?.dispose();
      await hub.stopAll();
      await notifier?.dispose();
      for (const socket of sockets) socket.terminate();
      bridge.close();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
