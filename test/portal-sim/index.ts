/**
 * A faithful Bitrix24 REST portal simulator on loopback, for the notification client's tests.
 * Behaviour follows shared/docs/bitrix24-notify-api.md §7 and, where DOCS and the server code
 * differ, the server code (MOD im/rest 26.250).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { attachOrigin, createSimContext, DEFAULT_BUCKET } from './context';
import { answerInBrowser, deleteInBrowser } from './confirm';
import * as fixtures from './fixtures';
import { createRequestHandler } from './http';
import type { PortalSim, PortalSimOptions } from './types';
import { toStoredNotification } from './wire';
import { setPushOffer } from './push-config';

export type * from './types';
export { REAL_PORTAL_DEFAULTS, setSimDefaults } from './context';

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startPortalSim(options: PortalSimOptions = {}): Promise<PortalSim> {
  const sim = createSimContext(options);
  const sockets = new Set<Socket>();
  let closing: Promise<void> | undefined;

  const api: PortalSim = {
    get origin() {
      return sim.urls.origin;
    },
    get webhookUrl() {
      return sim.urls.webhookUrl;
    },
    get tokenUrl() {
      return sim.urls.tokenUrl;
    },
    get restUrl() {
      return sim.urls.restUrl;
    },
    webhookCode: sim.webhookCode,
    userId: sim.userId,
    get authTokenUrl() {
      return sim.urls.authOrigin ? `${sim.urls.authOrigin}/oauth/token/` : undefined;
    },
    close() {
      closing ??= Promise.all(
        [server, authServer].map(
          (each) =>
            new Promise<void>((resolve) => {
              if (!each) return resolve();
              each.close(() => resolve());
            }),
        ),
      ).then(() => undefined);
      sim.sleeper.cancelAll();
      for (const socket of sockets) socket.destroy();
      return closing;
    },

    addConfirm: (input) => fixtures.addConfirm(sim, input),
    addPersonal: (input) => fixtures.addPersonal(sim, input),
    addSystem: (input) => fixtures.addSystem(sim, input),
    addUser: (user) => sim.addUser(user),
    deleteUser: (id) => sim.store.deleteUser(id),
    notifications: () => sim.store.all().map((record) => toStoredNotification(record, sim.wire)),
    get: (id) => {
      const record = sim.store.find(id);
      return record ? toStoredNotification(record, sim.wire) : undefined;
    },
    answerInBrowser: (id, value) => answerInBrowser(sim, id, value),
    deleteInBrowser: (id) => deleteInBrowser(sim, id),
    confirmLog: sim.confirmLog,
    answerLog: sim.answerLog,
    requestLog: sim.requestLog,
    stats: sim.stats,

    issueTokens: () => {
      const pair = sim.tokens.issue();
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn: sim.tokens.config.accessTtlSec };
    },
    createAuthCode: () => sim.tokens.createAuthCode(),
    expireAccessTokens: () => sim.tokens.expireAccessTokens(),
    revokeRefreshTokens: () => sim.tokens.revokeRefreshTokens(),
    tokenLog: sim.tokenLog,

    setSignInRefused: (refused) => {
      sim.knobs.signInRefused = refused;
    },
    setClientEndpoint: (url) => {
      sim.knobs.clientEndpoint = url;
    },
    setScopes: (scopes) => {
      sim.knobs.scopes = [...scopes];
    },
    setPushOffer: (offer) => setPushOffer(sim, offer),
    attachPushServer: (push) => {
      setPushOffer(sim, push.config);
      // Every change of the user's notifications goes out on their channel, as the portal's im
      // module tells its push server (real-portal-notes §4); other users' changes are not theirs.
      return sim.store.onChange((change) => {
        if (change.userId === sim.userId) push.publish('im', change.command, change.params);
      });
    },
    setRestAvailable: (on) => {
      sim.knobs.restAvailable = on;
    },
    setBucket: (bucket) => sim.bucket.configure(bucket ?? DEFAULT_BUCKET),
    setOperating: (operating) => sim.operating.configure(operating ?? false),
    resetLimits: () => {
      sim.bucket.reset();
      sim.operating.reset();
    },

    injectFault: (fault, match) => sim.faults.inject(fault, match),
    clearFaults: () => sim.faults.clear(),
  };

  const handler = createRequestHandler(sim, api);
  const createServer = (): Server => (options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler));
  const server = createServer();
  // A second host for the auth server (authServerHost): same handler, named in server_endpoint.
  const authServer = options.authServerHost ? createServer() : undefined;
  // Tracked so close() can end keep-alive and in-flight connections at once.
  for (const each of [server, authServer]) {
    each?.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }

  const address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  attachOrigin(sim, `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`);
  if (authServer && options.authServerHost) {
    const authAddress = await listen(authServer, 0, options.authServerHost);
    sim.urls.authOrigin = `${options.tls ? 'https' : 'http'}://${authAddress.address}:${authAddress.port}`;
  }
  return api;
}
