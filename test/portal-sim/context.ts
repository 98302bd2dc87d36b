/** The simulator's shared state: options turned into live knobs, the stores, limiters and logs. */
import { randomBytes } from 'node:crypto';
import { FaultQueue, Sleeper } from './faults';
import { LeakyBucket, OperatingBudget } from './limits';
import { TokenStore } from './oauth';
import { NotificationStore } from './store';
import { BITRIX24_CDN_AVATAR_BASE, buildUser, defaultUsers, type UserInput } from './users';
import { phpDate } from './json';
import type { WireOptions } from './wire';
import type {
  AnswerLogEntry,
  ConfirmLogEntry,
  PortalSimOptions,
  RequestLogEntry,
  SimStats,
  TokenLogEntry,
} from './types';

export interface SimKnobs {
  scopes: string[];
  restAvailable: boolean;
  requireHttps: boolean;
  insufficientScopeStatus: 401 | 403;
  readAllLegacy: boolean;
  /**
   * What token responses name as `client_endpoint` when the portal's REST address moved
   * (real-portal-notes §2: the OAuth server names the portal's REST base); default: our own.
   */
  clientEndpoint?: string;
  /** The sign-in page refuses: an error page, no redirect to the handler. */
  signInRefused: boolean;
}

export interface SimUrls {
  origin: string;
  /** The separate auth server's origin, when there is one. */
  authOrigin?: string;
  restUrl: string;
  tokenUrl: string;
  webhookUrl: string;
}

export interface SimContext {
  readonly now: () => number;
  readonly userId: number;
  readonly webhookCode: string;
  /** Portal identifier reported by the token endpoint. */
  readonly memberId: string;
  readonly knobs: SimKnobs;
  readonly store: NotificationStore;
  readonly tokens: TokenStore;
  readonly bucket: LeakyBucket;
  readonly operating: OperatingBudget;
  readonly faults: FaultQueue;
  readonly sleeper: Sleeper;
  /** Sim-only fixture data: the module handler's answer per confirm id (kept off the wire object). */
  readonly confirmHandlerTexts: Map<number, string | false>;
  readonly requestLog: RequestLogEntry[];
  readonly confirmLog: ConfirmLogEntry[];
  readonly answerLog: AnswerLogEntry[];
  readonly tokenLog: TokenLogEntry[];
  readonly stats: SimStats;
  urls: SimUrls;
  /** How notifications are written on the wire (server offset, im 21.x raw HTML). */
  readonly wire: WireOptions;
  /** Where the default colleagues' avatars live. */
  readonly avatars: 'portal' | 'cdn';
  addUser(user: UserInput): void;
}

export const DEFAULT_BUCKET = { capacity: 50, drainPerSec: 2 };

/** Defaults a whole run may set once (test/harness/sim-setup.ts); as on a real portal otherwise. */
export const REAL_PORTAL_DEFAULTS = { restApAuthAllowHttp: false };
let simDefaults = { ...REAL_PORTAL_DEFAULTS };

export function setSimDefaults(defaults: Partial<typeof REAL_PORTAL_DEFAULTS>): void {
  simDefaults = { ...simDefaults, ...defaults };
}
const DEFAULT_OAUTH = { clientId: 'local.sim.app', clientSecret: 'sim-secret', accessTtlSec: 3600 };
const WEBHOOK_CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomWebhookCode(): string {
  return [...randomBytes(16)].map((byte) => WEBHOOK_CODE_ALPHABET.charAt(byte % WEBHOOK_CODE_ALPHABET.length)).join('');
}

export function createSimContext(options: PortalSimOptions): SimContext {
  const now = options.now ?? Date.now;
  const userId = options.userId ?? 1;
  const store = new NotificationStore(now);
  return {
    now,
    userId,
    webhookCode: options.webhookCode ?? randomWebhookCode(),
    memberId: randomBytes(16).toString('hex'),
    knobs: {
      scopes: [...(options.scopes ?? ['im'])],
      restAvailable: options.restAvailable ?? true,
      requireHttps: options.requireHttps ?? !(options.restApAuthAllowHttp ?? simDefaults.restApAuthAllowHttp),
      insufficientScopeStatus: options.insufficientScopeStatus ?? 401,
      readAllLegacy: options.readAllLegacy ?? false,
      signInRefused: false,
    },
    store,
    tokens: new TokenStore(
      {
        clientId: options.oauth?.clientId ?? DEFAULT_OAUTH.clientId,
        clientSecret: options.oauth?.clientSecret ?? DEFAULT_OAUTH.clientSecret,
        accessTtlSec: options.oauth?.accessTtlSec ?? DEFAULT_OAUTH.accessTtlSec,
        ...(options.oauth?.registeredHandlerUrl ? { registeredHandlerUrl: options.oauth.registeredHandlerUrl } : {}),
      },
      userId,
      now,
    ),
    bucket: new LeakyBucket(options.bucket ?? DEFAULT_BUCKET, now),
    operating: new OperatingBudget(options.operating ?? false, now),
    faults: new FaultQueue(),
    sleeper: new Sleeper(),
    confirmHandlerTexts: new Map(),
    requestLog: [],
    confirmLog: [],
    answerLog: [],
    tokenLog: [],
    stats: { maxBucketLevel: 0, queryLimitRejections: 0, operatingRejections: 0 },
    urls: { origin: '', restUrl: '', tokenUrl: '', webhookUrl: '' },
    wire: { utcOffsetMinutes: options.serverUtcOffsetMinutes ?? 0, legacyHtml: options.imLegacyHtml ?? false },
    avatars: options.avatars ?? 'portal',
    addUser(user) {
      store.putUser(buildUser(user, phpDate(now(), options.serverUtcOffsetMinutes ?? 0)));
    },
  };
}

/** Called once the server listens: the URLs and the default users (whose avatars use the origin). */
export function attachOrigin(sim: SimContext, origin: string): void {
  sim.urls = {
    origin,
    restUrl: `${origin}/rest/`,
    tokenUrl: `${origin}/oauth/token/`,
    webhookUrl: `${origin}/rest/${sim.userId}/${sim.webhookCode}/`,
  };
  for (const user of defaultUsers(sim.userId, sim.avatars === 'cdn' ? BITRIX24_CDN_AVATAR_BASE : `${origin}/upload/main`)) sim.addUser(user);
}
