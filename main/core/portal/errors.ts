/**
 * Every failure of a portal call becomes one PortalError with a `kind` that says what the app
 * should do about it. Kinds come from the Bitrix24 `error` code, never from the HTTP status alone:
 * the docs and the server disagree on statuses (INVALID_CREDENTIALS is 403 in the docs, 401 on
 * the server; insufficient_scope 401 or 403). The status only decides for codes we do not know.
 */
export type PortalErrorKind =
  /** Credentials rejected or expired for good: the user must reconnect or sign in again. */
  | 'auth'
  /** The webhook or app lacks the `im` scope. */
  | 'scope'
  /** REST is not available on the portal's plan. */
  | 'plan'
  /** Too many requests (503 QUERY_LIMIT_EXCEEDED) or the app is blocked by the portal. */
  | 'rate-limited'
  /** The method's operating-time budget is used up (429 OPERATION_TIME_LIMIT). */
  | 'operating-limited'
  /** Network, timeout, 5xx, a non-JSON page from a proxy: try again later. */
  | 'transient'
  /** The request itself was refused (bad parameters, unknown method, not allowed). */
  | 'invalid-request'
  /**
   * The portal answered with a redirect to another address. No credential follows a redirect:
   * the portal stops until the user agrees to use the new address (`movedTo`, when it is one
   * we would send credentials to at all).
   */
  | 'moved'
  /**
   * The portal's own configuration refuses us in a way retrying cannot fix: "Https required."
   * (401 INVALID_REQUEST, MOD rest/lib/apauth/auth.php:50), e.g. behind a proxy that forwards HTTP.
   */
  | 'config'
  /**
   * This computer does not trust the portal's TLS certificate (a company CA not in the system's
   * store, an expired or self-signed certificate, a name mismatch). Never "cannot reach": the
   * user or an administrator must act; nothing is retried until then.
   */
  | 'certificate';

/**
 * Whether the portal may have acted on the request. A confirm whose fate is `unknown` must not be
 * blindly re-sent; one that was `not-processed` can be.
 */
export type Delivery = 'not-processed' | 'unknown';

export interface PortalErrorInit {
  kind: PortalErrorKind;
  /** Bitrix24 error code (`QUERY_LIMIT_EXCEEDED`, `expired_token`) or one of ours (`NETWORK_ERROR`). */
  code: string;
  /** The portal's own description, redacted. */
  description?: string;
  status?: number;
  delivery: Delivery;
  /** Earliest time (epoch ms) worth trying again, when the portal told us. */
  retryAt?: number;
  /** `host:port` of the proxy the request went through, never its credentials. */
  proxy?: string;
  /** With kind `moved`: the origin the portal named (never a path: that could hold a code). */
  movedTo?: string;
  /** With kind `certificate`: the host whose certificate failed, and who issued it when known. */
  certificate?: { host: string; issuer?: string };
}

export class PortalError extends Error {
  override readonly name = 'PortalError';
  readonly kind: PortalErrorKind;
  readonly code: string;
  readonly description: string | undefined;
  readonly status: number | undefined;
  readonly delivery: Delivery;
  readonly retryAt: number | undefined;
  readonly proxy: string | undefined;
  readonly movedTo: string | undefined;
  readonly certificate: { host: string; issuer?: string } | undefined;
  /** What to tell the user: what happened and what to do. */
  readonly userMessage: string;

  constructor(init: PortalErrorInit) {
    const userMessage = userMessageFor(init);
    super(`${init.code}${init.status ? ` (HTTP ${init.status})` : ''}: ${init.description ?? userMessage}`);
    this.kind = init.kind;
    this.code = init.code;
    this.description = init.description;
    this.status = init.status;
    this.delivery = init.delivery;
    this.retryAt = init.retryAt;
    this.proxy = init.proxy;
    this.movedTo = init.movedTo;
    this.certificate = init.certificate;
    this.userMessage = userMessage;
  }
}

const AUTH_CODES = new Set([
  'NO_AUTH_FOUND',
  'INVALID_CREDENTIALS',
  'expired_token',
  'invalid_token',
  'invalid_grant',
  'invalid_client',
  'authorization_error',
  'APPLICATION_NOT_FOUND',
  'user_access_error',
  'PORTAL_DELETED',
  'WRONG_AUTH_TYPE',
]);
const SCOPE_CODES = new Set(['insufficient_scope', 'invalid_scope']);
const PLAN_CODES = new Set(['PAYMENT_REQUIRED']);
const RATE_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'OVERLOAD_LIMIT']);
const TRANSIENT_CODES = new Set([
  'INTERNAL_SERVER_ERROR',
  'ERROR_UNEXPECTED_ANSWER',
  'CONNECTION_ERROR',
  'ERROR_CORE',
  'WRONG_ENCODING',
]);

/**
 * ACCESS_DENIED has two meanings (§4.6): REST unavailable on the plan (raised in the auth check),
 * or an operation refused (AccessException "Access denied! …"). Only the text tells them apart.
 */
function isPlanDenial(description: string | undefined): boolean {
  return /REST is available only|commercial plan|subscription/i.test(description ?? '');
}

export function kindForCode(code: string, status: number | undefined, description?: string): PortalErrorKind {
  if (AUTH_CODES.has(code)) return 'auth';
  if (code === 'INVALID_REQUEST' && /https required/i.test(description ?? '')) return 'config';
  if (SCOPE_CODES.has(code)) return 'scope';
  if (PLAN_CODES.has(code)) return 'plan';
  if (code === 'ACCESS_DENIED') return isPlanDenial(description) ? 'plan' : 'invalid-request';
  if (RATE_CODES.has(code)) return 'rate-limited';
  if (code === 'OPERATION_TIME_LIMIT') return 'operating-limited';
  if (TRANSIENT_CODES.has(code)) return 'transient';
  // Unknown code: the status is all we have.
  if (status !== undefined && (status >= 500 || status === 408)) return 'transient';
  return 'invalid-request';
}

function userMessageFor(init: PortalErrorInit): string {
  switch (init.kind) {
    case 'auth':
      if (init.code === 'invalid_grant') return 'Your sign-in to the portal has expired. Sign in again in Settings.';
      if (init.code === 'PORTAL_DELETED') return 'This portal has been closed or deleted. Remove it or connect another one.';
      if (init.code === 'WRONG_AUTH_TYPE')
        return 'The portal does not accept this kind of connection for notifications. Connect with an inbound webhook or an OAuth app.';
      return 'The portal rejected the credentials (the webhook may have been deleted or its owner deactivated). Reconnect the portal in Settings.';
    case 'scope':
      return 'The webhook or app lacks the “im” (Chat and Notifications) permission. Add it in Bitrix24 and reconnect.';
    case 'plan':
      return 'REST API is not available on this portal’s plan. It needs a commercial plan or an active trial.';
    case 'rate-limited':
      if (init.code === 'OVERLOAD_LIMIT')
        return 'The portal has blocked this app’s requests for now. Notifications will resume when the portal lifts the block.';
      return 'The portal is receiving too many requests. Notifications will resume automatically in a moment.';
    case 'operating-limited':
      return 'The portal has paused this request type for a few minutes (operating-time limit). It will resume automatically.';
    case 'transient':
      if (init.code === 'TIMEOUT') return 'The portal did not answer in time. Retrying automatically.';
      if (init.code === 'INVALID_RESPONSE')
        return `The portal answered with an unexpected page${init.status ? ` (HTTP ${init.status})` : ''}; a proxy or maintenance may be in the way. Retrying automatically.`;
      if (init.code === 'RESPONSE_TOO_LARGE') return 'The portal’s answer was too large to accept.';
      if (init.code === 'PROXY_AUTH_REQUIRED')
        // A password kept in the system’s proxy settings never reaches the app: resolveProxy hands out none.
        return `The proxy at ${init.proxy ?? 'your network'} asks for a sign-in (407). Put its user and password in HTTPS_PROXY (http://user:password@${init.proxy ?? 'host:port'}) and restart B24 Notify; a password saved only in the system’s proxy settings is not passed on to the app.`;
      if (init.code === 'PROXY_REFUSED')
        return `The proxy at ${init.proxy ?? 'your network'} did not let the connection to the portal through${init.status ? ` (HTTP ${init.status})` : ''}. Retrying automatically; if it persists, check the proxy settings.`;
      if (init.code === 'NETWORK_ERROR' && init.proxy)
        return `Cannot reach the portal through the proxy at ${init.proxy}. Check the network connection and the proxy settings; retrying automatically.`;
      if (init.code === 'NETWORK_ERROR') return 'Cannot reach the portal. Check the network connection; retrying automatically.';
      return 'The portal had a temporary problem. Retrying automatically.';
    case 'config':
      return 'The portal accepts webhooks only over HTTPS (it answered “Https required.”), yet this request reached it as plain HTTP — usually a proxy in front of the portal that forwards HTTP. Connect the portal with its https:// address, or ask its administrator to pass HTTPS through.';
    case 'certificate': {
      const host = init.certificate?.host ?? 'the portal';
      const issuer = init.certificate?.issuer ? `, issued by “${init.certificate.issuer}”` : '';
      if (init.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        return `The certificate ${host} presents${issuer && `${issuer},`} is for another name. Check the portal's address; if it is right, ask the portal's administrator to fix the certificate.`;
      if (init.code === 'CERT_HAS_EXPIRED' || init.code === 'CERT_NOT_YET_VALID')
        return `The certificate of ${host}${issuer && `${issuer},`} is outside its validity dates. Check this computer's clock; if it is right, ask the portal's administrator to renew the certificate.`;
      return `This computer does not trust the certificate of ${host}${issuer}. If your company uses its own certificate authority, install it in the system's certificate store (your administrator knows it), then choose Try again. B24 Notify never connects to a portal it cannot verify.`;
    }
    case 'moved':
      if (init.code === 'UNSAFE_REDIRECT')
        return `The portal answered with a redirect to ${init.movedTo ?? 'another address'}, where B24 Notify will not send your credentials (not https, or a local address). Check the portal's address and reconnect it in Settings.`;
      return `The portal answered that it moved to ${init.movedTo ?? 'another address'}. Use the new address?`;
    case 'invalid-request':
      return `The portal refused the request${init.description ? `: ${init.description}` : ''}.`;
  }
}
