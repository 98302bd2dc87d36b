/**
 * An OAuth sign-in against the portal simulator, wired as the app wires it (connectDeps), with a
 * stand-in browser that opens the portal's sign-in page and follows its redirect to the app's
 * loopback handler (§4.3 of ../shared/docs/bitrix24-notify-api.md, real-portal-notes §2).
 */
import { AccountStore, type AccountConfig } from '../../main/core/accounts/account-store';
import { NotificationHub } from '../../main/core/app/hub';
import { connectOAuth, reconnectOAuth, type OAuthConnectDeps, type OAuthConnectInput } from '../../main/core/app/connect-oauth';
import type { PortalClientOptions } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import type { Storage } from '../../main/core/storage/storage';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';
import { connectDeps } from './connect-deps';
import { tempStorage } from './engine-harness';

/** What the stand-in browser saw of one page: the address it opened and the answer. */
export interface BrowserVisit {
  url: string;
  status: number;
  body: string;
  contentType: string | null;
}

/** Opens `url` like the user's browser, following one redirect (the portal's answer to the handler). */
export function signInBrowser(visits: BrowserVisit[] = []): (url: string) => Promise<void> {
  return async (url) => {
    const signIn = await fetch(url, { redirect: 'manual' });
    visits.push({ url, status: signIn.status, body: await signIn.text(), contentType: signIn.headers.get('content-type') });
    const location = signIn.headers.get('location');
    if (!location) return;
    const handler = await fetch(location);
    visits.push({ url: location, status: handler.status, body: await handler.text(), contentType: handler.headers.get('content-type') });
  };
}

export interface OAuthSetup {
  portal: PortalSim;
  accounts: AccountStore;
  hub: NotificationHub;
  storage: Storage;
  /** Every page the stand-in browser opened, in order. */
  visits: BrowserVisit[];
  deps: OAuthConnectDeps & { restart: (account: AccountConfig) => Promise<void> };
  /** Connects the simulator's application (local.sim.app / sim-secret) unless told otherwise. */
  connect(input?: Partial<OAuthConnectInput>, extra?: Partial<OAuthConnectDeps>): ReturnType<typeof connectOAuth>;
  /** Signs the account in again through the same browser. */
  reconnect(accountId: string, extra?: Partial<OAuthSetup['deps']>): ReturnType<typeof reconnectOAuth>;
}

export const SIM_APP = { clientId: 'local.sim.app', clientSecret: 'sim-secret' } as const;

/**
 * A simulator, an account store and a hub, torn down through `cleanups` (the suite's afterEach).
 * `clientOptions: false` leaves the deps without client options, as a caller may.
 */
export async function oauthSetup(
  cleanups: (() => Promise<void> | void)[],
  options: { sim?: PortalSimOptions; clientOptions?: Partial<PortalClientOptions> | false; storage?: Storage } = {},
): Promise<OAuthSetup> {
  const portal = await startPortalSim(options.sim);
  const storage = options.storage ?? tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => portal.close());
  cleanups.push(() => hub.stopAll());
  const visits: BrowserVisit[] = [];
  const deps = {
    ...connectDeps({ accounts, hub, storage, ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}) }),
    openExternal: signInBrowser(visits),
    tokenUrl: portal.tokenUrl,
    approvalTimeoutMs: 5_000,
  };
  return {
    portal,
    accounts,
    hub,
    storage,
    visits,
    deps,
    connect: (input = {}, extra = {}) => connectOAuth({ portal: portal.origin, ...SIM_APP, ...input }, { ...deps, ...extra }),
    reconnect: (accountId, extra = {}) => reconnectOAuth(accountId, { ...deps, ...extra }),
  };
}
