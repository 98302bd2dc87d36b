/**
 * Public types of the portal simulator. Section numbers (§) refer to
 * shared/docs/bitrix24-notify-api.md.
 */
import type { PushServer } from './push-server';
import type { SimPushOffer } from './push-config';

export interface PortalSimOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Webhook owner and OAuth user. Default 1. */
  userId?: number;
  /** Default: 16 random lowercase alphanumerics. */
  webhookCode?: string;
  /** Default ['im']; without 'im' every im.* call answers insufficient_scope. */
  scopes?: string[];
  /** Default 401 (what MOD sends); DOCS say 403. */
  insufficientScopeStatus?: 401 | 403;
  /** Default true; false → ACCESS_DENIED 401 with the plan text of §4.3. */
  restAvailable?: boolean;
  /**
   * Whether the box defines REST_APAUTH_ALLOW_HTTP: without it a webhook call over plain HTTP gets
   * 401 INVALID_REQUEST "Https required." (MOD rest/lib/apauth/auth.php:50, real-portal-notes §2).
   * Default: `simDefaults.restApAuthAllowHttp`, false as on a real portal. The test run sets it
   * true once (test/harness/sim-setup.ts): its simulators stand for boxes reached over loopback
   * HTTP. Suites about the real default pass false.
   */
  restApAuthAllowHttp?: boolean;
  /** Overrides restApAuthAllowHttp: true → plain-HTTP webhook calls are refused. */
  requireHttps?: boolean;
  /** Leaky bucket of §4.5. Default {capacity: 50, drainPerSec: 2}; false disables it. */
  bucket?: { capacity: number; drainPerSec: number } | false;
  /**
   * Operating-time budget of §4.5. Default false (self-hosted: limiter off, no `operating` in `time`).
   * costSec: seconds each call of a method adds. As in MOD, a call is only recorded when its cost
   * is above 0.1 s, and a call is refused when the window's sum is strictly above limitSec.
   */
  operating?: { limitSec: number; windowSec?: number; costSec?: Record<string, number> } | false;
  /** Default { clientId: 'local.sim.app', clientSecret: 'sim-secret', accessTtlSec: 3600 }. */
  oauth?: {
    clientId: string;
    clientSecret: string;
    accessTtlSec?: number;
    /**
     * The handler URL registered on the local application: the portal redirects the sign-in there
     * and ignores the `redirect_uri` the client sends (real-portal-notes §2, DOCS
     * settings/oauth/index.md). Default: the sent redirect_uri (as older fixtures assume).
     */
    registeredHandlerUrl?: string;
  };
  /**
   * Serve the OAuth token endpoint on a second host too (e.g. '127.0.0.2'), and name that host in
   * every token response's `server_endpoint`, as oauth.bitrix24.tech does for some portals
   * (real-portal-notes §2). Default: the portal is its own auth server.
   */
  authServerHost?: string;
  /** Serve HTTPS instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Millisecond clock. Default Date.now. Drives dates, bucket, operating windows and token expiry. */
  now?: () => number;
  /** Pre-2026 im.notify.read.all that answers a bare `true` (§2.6). */
  readAllLegacy?: boolean;
  /** The server's timezone offset in dates, e.g. 180 for +03:00 (real-portal-notes §1). Default 0. */
  serverUtcOffsetMinutes?: number;
  /**
   * An old on-premise build (im 21.x): `text` is the raw stored MESSAGE, HTML included, and lists
   * are in id order (real-portal-notes §1). Default false.
   */
  imLegacyHtml?: boolean;
  /**
   * Where the default colleagues' avatars live: 'portal' (the sim's own origin, as on-premise) or
   * 'cdn' (Bitrix24's CDN host, as on cloud portals: real-portal-notes §1). Default 'portal'.
   */
  avatars?: 'portal' | 'cdn';
}

export interface ConfirmButtonInput {
  title: string;
  value: string;
  type: 'accept' | 'cancel';
}

export interface AddConfirmInput {
  /**
   * HTML-escaped like a module's htmlspecialcharsbx before storing (existing entities are not
   * double-encoded, so a pre-escaped title is fine); clients must decode entities. Omitted → null.
   */
  title?: string | null;
  /**
   * Whether the module escaped its title (socialnetwork does, as in the §1.4 example). The
   * messenger itself only trims NOTIFY_TITLE (real-portal-notes §1, MOD im_messenger.php:586-587),
   * so false sends it as the module wrote it, `<b>` and `&` included. Default true.
   */
  moduleEscapesTitle?: boolean;
  text: string;
  /** Default: Accept (Y, accept) and Cancel (N, cancel), like CIMMessenger::Add. Titles are HTML-escaped. */
  buttons?: ConfirmButtonInput[];
  tag?: string;
  module?: string;
  event?: string;
  authorId?: number;
  /**
   * The module handler's answer (im:OnBeforeConfirmNotify). Only runs when the notification has a
   * tag (§2.2 step 2). false = the handler refuses; MOD then falls back to the button text.
   */
  resultMessage?: string | false;
}

export interface AddPersonalInput {
  text: string;
  authorId?: number;
  title?: string | null;
  module?: string;
  event?: string;
  tag?: string;
  params?: Record<string, unknown> | null;
  /** Sets params.CAN_ANSWER = 'Y' (§1.5). */
  quickReply?: boolean;
}

export interface AddSystemInput {
  text: string;
  title?: string | null;
  module?: string;
  event?: string;
  tag?: string;
  params?: Record<string, unknown> | null;
}

/** The lowercase wire object of §1.3, in the server's field order. */
export interface StoredNotification {
  id: number;
  chat_id: number;
  author_id: number;
  date: string;
  notify_type: 1 | 2 | 4;
  notify_module: string;
  notify_event: string;
  notify_tag: string;
  notify_sub_tag: string;
  notify_title: string | null;
  setting_name: string;
  text: string;
  /** Only on confirms: the keyboard JSON of §1.4, as a string. */
  notify_buttons?: string;
  params: Record<string, unknown> | null;
  notify_read: 'Y' | 'N';
}

/** The user object of §2.1 ("Users Object"), lowercase keys in DOCS order. */
export interface SimUser {
  id: number;
  active: boolean;
  name: string;
  first_name: string;
  last_name: string;
  work_position: string;
  color: string;
  avatar: string;
  avatar_hr: string;
  gender: 'M' | 'F' | '';
  birthday: string;
  extranet: boolean;
  network: boolean;
  bot: boolean;
  connector: boolean;
  external_auth_id: string;
  status: string;
  idle: string | false;
  last_activity_date: string | false;
  mobile_last_date: string | false;
  desktop_last_date: string | false;
  absent: string | false;
  departments: number[];
  phones: { work_phone?: string; personal_mobile?: string; inner_phone?: string } | false;
  bot_data: Record<string, unknown> | null;
  type: string;
  website: string;
  email: string;
}

export type Fault =
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'html'; status?: number }
  | { kind: 'malformed-json' }
  | { kind: 'error'; code: string; description?: string; status: number }
  | { kind: 'expire-token' }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: 'huge-body'; bytes: number }
  /** Extra kind: the portal handles the request fully, then the connection dies before the reply. */
  | { kind: 'lose-response' };

export interface FaultMatch {
  /** Lower-case REST method ('batch' for batch, 'oauth.token' for the token endpoint). */
  restMethod?: string;
  /** Default 1; Infinity allowed. */
  times?: number;
}

export type AuthKind = 'webhook' | 'oauth' | 'none';

export interface RequestLogEntry {
  /** now() when the request arrived. */
  at: number;
  /** HTTP verb (extra field). */
  httpMethod: string;
  /** The address the request was sent to, host:port (the portal's or the separate auth host's). */
  host: string;
  path: string;
  /** Lower-case REST method, 'batch', 'oauth.token', or '' when the path names none. */
  restMethod: string;
  auth: AuthKind;
  /** HTTP status sent; 0 while in flight or when the socket was dropped. */
  status: number;
  /** Error code of an error response. */
  error?: string;
  /** Query merged with body (body wins), keys as sent; credential keys (auth, access_token) removed. */
  params: Record<string, unknown>;
  /** For batch: each string command as sent ("method?query"), in order. */
  batchCommands?: string[];
  /** Kind of the fault that was applied to this request (extra field). */
  fault?: Fault['kind'];
}

export interface ConfirmLogEntry {
  id: number;
  value: string;
  at: number;
  via: 'rest' | 'browser';
}

export interface AnswerLogEntry {
  id: number;
  /** The trimmed answer as the client sent it (without the [USER=…] mention MOD prepends). */
  text: string;
  at: number;
}

export interface TokenLogEntry {
  grantType: string;
  at: number;
  ok: boolean;
  error?: string;
}

export interface SimStats {
  maxBucketLevel: number;
  queryLimitRejections: number;
  operatingRejections: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface PortalSim {
  readonly origin: string;
  readonly webhookUrl: string;
  readonly webhookCode: string;
  readonly userId: number;
  readonly tokenUrl: string;
  readonly restUrl: string;
  /** Closes the server, destroys open sockets and cancels pending delay faults. */
  close(): Promise<void>;

  addConfirm(input: AddConfirmInput): StoredNotification;
  addPersonal(input: AddPersonalInput): StoredNotification;
  addSystem(input: AddSystemInput): StoredNotification;
  addUser(user: Partial<SimUser> & { id: number; name: string }): void;
  /** The employee was deleted: notifications keep their author id, the users list loses the entry's id. */
  deleteUser(id: number): void;
  /** Every stored notification (all recipients), oldest id first, as copies. */
  notifications(): StoredNotification[];
  get(id: number): StoredNotification | undefined;
  /** The user answered the confirm elsewhere: deletes it like im.notify.confirm. Throws for an unknown confirm. */
  answerInBrowser(id: number, value: string): void;
  /** Throws for an unknown notification. */
  deleteInBrowser(id: number): void;
  readonly confirmLog: ConfirmLogEntry[];
  readonly answerLog: AnswerLogEntry[];
  readonly requestLog: RequestLogEntry[];
  readonly stats: SimStats;

  issueTokens(): IssuedTokens;
  createAuthCode(): string;
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  readonly tokenLog: TokenLogEntry[];

  /** The token URL on the separate auth host (`authServerHost`); undefined without one. */
  readonly authTokenUrl: string | undefined;
  /**
   * The user refuses on the portal's sign-in page: the portal shows its error page and never calls
   * the handler back (real-portal-notes §2).
   */
  setSignInRefused(refused: boolean): void;
  /** Token responses name this as `client_endpoint` (the portal moved, per its OAuth server). */
  setClientEndpoint(url: string | undefined): void;
  setScopes(scopes: string[]): void;
  /** What `pull.config.get` answers (push-config.ts): a push server's config, or 'disabled'. */
  setPushOffer(offer: SimPushOffer): void;
  /** Offers this push server in pull.config.get and publishes every change of the user's notifications on it; returns a detach. */
  attachPushServer(push: Pick<PushServer, 'config' | 'publish'>): () => void;
  setRestAvailable(on: boolean): void;
  setBucket(b: PortalSimOptions['bucket']): void;
  setOperating(o: PortalSimOptions['operating']): void;
  resetLimits(): void;

  injectFault(fault: Fault, match?: FaultMatch): void;
  clearFaults(): void;
}
