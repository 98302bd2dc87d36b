/**
 * A portal's push channel, wired to its engine: notify events become `requestSync`, a healthy
 * channel slows polling to the safety poll. Only webhooks: OAuth apps are refused by
 * pull.config.get (WRONG_AUTH_TYPE, real-portal-notes.md §4), so asking would only cost requests.
 */
import { systemClock, type Clock } from '../clock';
import type { AccountEngine } from '../engine/account-engine';
import type { AccountState } from '../engine/state';
import type { PortalClient, PortalLog } from '../portal/client';
import type { DispatcherFactory } from '../portal/http';
import { MAX_FRAME_BYTES } from './frames';
import { undiciLongPollFactory, type LongPollFactory } from './long-poll';
import { PushChannel, type PushState, type SocketFactory } from './push-channel';
import { undiciSocketFactory } from './undici-socket';

/** Issue 16: with push healthy, poll every 5 minutes as a safety net (≤ 15 requests an idle hour). */
export const SAFETY_POLL_INTERVAL_MS = 5 * 60_000;

export interface EnginePushOptions {
  client: PortalClient;
  engine: AccountEngine;
  dispatcherFactory: DispatcherFactory;
  clock?: Clock;
  log?: PortalLog;
  registerSecret?: (secret: string) => void;
  onState?: (state: PushState) => void;
  /** Tests: a socket stand-in instead of undici's WebSocket. */
  openSocket?: SocketFactory;
  /** Tests: a long-polling stand-in instead of undici's request. */
  openLongPoll?: LongPollFactory;
  /** Route changes (ProxyRouter.onRouteChange): the socket is opened again on the new route (issue 16). */
  onRouteChange?: (listener: (origin: string) => void) => () => void;
}

/** The card's words for the channel's state (issue 16: on / unavailable / not offered). */
function instantFor(state: PushState): AccountState['instant'] {
  switch (state) {
    case 'on':
    case 'long-polling':
      return 'on';
    case 'no-permission':
      return 'unavailable';
    case 'not-offered':
      return 'not-offered';
    case 'polling-fallback':
      return 'fallback';
    case 'off':
      return undefined;
    default:
      return 'connecting';
  }
}

export function attachEnginePush(options: EnginePushOptions): PushChannel {
  const { client, engine } = options;
  const clock = options.clock ?? systemClock;
  const channel = new PushChannel({
    portalOrigin: client.origin,
    source: client,
    openSocket: options.openSocket ?? undiciSocketFactory(options.dispatcherFactory),
    openLongPoll: options.openLongPoll ?? undiciLongPollFactory(options.dispatcherFactory, clock, MAX_FRAME_BYTES),
    hinter: {
      requestSync: () => engine.requestSync(),
      setPushHealthy: (healthy) => engine.setSafetyPoll(healthy ? SAFETY_POLL_INTERVAL_MS : undefined),
    },
    clock,
    log: (line) => options.log?.('info', client.redact(line)),
    onState: (state) => {
      engine.setInstantState(instantFor(state));
      options.onState?.(state);
    },
    addSecrets: (...secrets) => secrets.forEach((secret) => options.registerSecret?.(secret)),
  });
  // A proxy that appeared, went or moved: the open socket still runs on the old route.
  const stopWatching = options.onRouteChange?.((origin) => {
    if (origin === new URL(client.origin).origin) channel.reconnect('the route to the portal changed (proxy settings)');
  });
  engine.attachPush({
    start: () => channel.start(),
    stop: () => {
      stopWatching?.();
      channel.stop();
    },
    reconnect: (reason) => channel.reconnect(reason),
  });
  return channel;
}
