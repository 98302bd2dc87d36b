/**
 * `pull.config.get`: whether this portal offers instant delivery to us, and where to connect.
 * Facts from ../../../../shared/docs/real-portal-notes.md §4: the method sits under the webhook
 * scope `pull_channel` [MOD pull/lib/rest.php ~355-394], refuses OAuth with WRONG_AUTH_TYPE, and
 * on-premise portals without a push server answer `server_enabled: false`. Cloud runs server
 * version 4 (`clientId`); version 5+ sends `jwt` and speaks JSON-RPC, which we refuse cleanly
 * (the portal keeps being polled).
 */
import { PortalError } from '../portal/errors';

export interface PushChannelInfo {
  id: string;
  /** Epoch ms; the channel must be renewed before it. */
  endMs: number | undefined;
}

export interface PushConfig {
  serverVersion: number;
  /** `websocket_secure`, or `websocket` for loopback/plain-HTTP portals. */
  socketUrl: string;
  longPollingUrl: string | undefined;
  privateChannel: PushChannelInfo;
  sharedChannel: PushChannelInfo | undefined;
  clientId: string;
  /** Earliest of `exp` and the channels' end times, epoch ms: fetch the config again before it. */
  expiresAtMs: number | undefined;
}

export type PushAvailability =
  | { status: 'on'; config: PushConfig }
  /** The webhook lacks `pull_channel`: the user can add it. */
  | { status: 'no-permission' }
  /** OAuth app, no push server, server version we do not speak, or no pull module. */
  | { status: 'not-offered'; reason: 'oauth' | 'server-disabled' | 'unsupported-version' | 'no-pull-module' }
  /** Network or portal trouble: try again later. */
  | { status: 'failed'; error: Error };

/** The one thing this module needs from the portal client. */
export interface PushConfigSource {
  call(method: string, params?: Record<string, unknown>): Promise<{ result: unknown }>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Bitrix sends dates as ISO strings or epoch seconds, depending on the server. */
function timeMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string' && value.length > 0) {
    if (/^\d+$/.test(value)) return timeMs(Number(value));
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

function channel(value: unknown): PushChannelInfo | undefined {
  const raw = record(value);
  const id = text(raw?.['id']);
  return id ? { id, endMs: timeMs(raw?.['end']) } : undefined;
}

/** Plain `ws:`/`http:` only where the portal itself is plain HTTP on loopback (the simulator). */
function pickUrl(secure: string | undefined, plain: string | undefined, portalOrigin: string): string | undefined {
  const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?$/.test(portalOrigin);
  if (loopback && plain) return plain;
  return secure;
}

export function parsePushConfig(result: unknown, portalOrigin: string): PushAvailability {
  const raw = record(result);
  const server = record(raw?.['server']);
  if (!raw || !server) return { status: 'failed', error: new Error('pull.config.get answered without a server section') };
  if (server['server_enabled'] === false || server['websocket_enabled'] === false) return { status: 'not-offered', reason: 'server-disabled' };
  const serverVersion = Number(server['version'] ?? 0);
  if (serverVersion >= 5) return { status: 'not-offered', reason: 'unsupported-version' };
  const channels = record(raw['channels']);
  const privateChannel = channel(channels?.['private']);
  const sharedChannel = channel(channels?.['shared']);
  const clientId = text(raw['clientId']);
  const socketUrl = pickUrl(text(server['websocket_secure']), text(server['websocket']), portalOrigin);
  if (!privateChannel || !clientId || !socketUrl) {
    return { status: 'failed', error: new Error('pull.config.get answered without a channel, clientId or socket address') };
  }
  const ends = [timeMs(raw['exp']), privateChannel.endMs, sharedChannel?.endMs].filter((t): t is number => t !== undefined);
  return {
    status: 'on',
    config: {
      serverVersion,
      socketUrl,
      // `long_pooling_secure` is the server's own spelling (§4; b24jssdk pullClient getConnectionPath).
      longPollingUrl: pickUrl(text(server['long_pooling_secure']) ?? text(server['long_polling_secure']), text(server['long_polling']), portalOrigin),
      privateChannel,
      sharedChannel,
      clientId,
      expiresAtMs: ends.length > 0 ? Math.min(...ends) : undefined,
    },
  };
}

export async function fetchPushConfig(source: PushConfigSource, portalOrigin: string): Promise<PushAvailability> {
  try {
    const response = await source.call('pull.config.get', { CACHE: 'N' });
    return parsePushConfig(response.result, portalOrigin);
  } catch (error) {
    if (error instanceof PortalError) {
      if (error.code === 'WRONG_AUTH_TYPE') return { status: 'not-offered', reason: 'oauth' };
      if (error.kind === 'scope') return { status: 'no-permission' };
      if (error.code === 'ERROR_METHOD_NOT_FOUND') return { status: 'not-offered', reason: 'no-pull-module' };
    }
    return { status: 'failed', error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * `<websocket>?CHANNEL_ID=<private>/<shared>&clientId=…&format=json[&mid=…]` (§4; DOCS
 * custom-push-and-pull-client.md). No `binaryMode`: we parse text frames only. Long polling asks
 * its own address with the same parameters (§4; b24jssdk pullClient getConnectionPath).
 */
export function connectionUrl(config: PushConfig, lastMid: string | undefined, base = config.socketUrl): string {
  const url = new URL(base);
  const channels = [config.privateChannel.id, config.sharedChannel?.id].filter(Boolean).join('/');
  url.searchParams.set('CHANNEL_ID', channels);
  url.searchParams.set('clientId', config.clientId);
  url.searchParams.set('format', 'json');
  if (lastMid) url.searchParams.set('mid', lastMid);
  return url.toString();
}

/** Everything in a config that must never reach a log, an error or the window. */
export function configSecrets(config: PushConfig): string[] {
  return [config.privateChannel.id, config.sharedChannel?.id, config.clientId].filter((s): s is string => Boolean(s));
}
