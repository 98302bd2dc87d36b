/**
 * Turns whatever the user pastes into a portal endpoint: a full inbound-webhook URL (with or
 * without a trailing method or `.json`), or just the portal's address for OAuth. HTTPS is required
 * except for loopback hosts, which the simulator and tests use.
 *
 * Error messages never echo the input: it may contain the webhook code.
 */
export type PortalEndpoint =
  | { kind: 'webhook'; origin: string; userId: number; code: string }
  | { kind: 'portal'; origin: string };

export type PortalUrlProblem = 'empty' | 'not-a-url' | 'https-required' | 'credentials-in-url' | 'bad-webhook-path';

export class PortalUrlError extends Error {
  override readonly name = 'PortalUrlError';
  constructor(
    readonly problem: PortalUrlProblem,
    message: string,
  ) {
    super(message);
  }
}

const PROBLEM_MESSAGES: Record<PortalUrlProblem, string> = {
  empty: 'Paste the inbound webhook URL from your Bitrix24 portal.',
  'not-a-url': 'This is not a web address. Paste the webhook URL, e.g. https://your.bitrix24.com/rest/1/abc123/.',
  'https-required': 'The portal address must start with https:// (plain http is allowed only for this computer).',
  'credentials-in-url': 'The address must not contain a user name or password before the host.',
  'bad-webhook-path': 'This is not a complete webhook URL: it should look like https://your.bitrix24.com/rest/<user id>/<code>/.',
};

function fail(problem: PortalUrlProblem): never {
  throw new PortalUrlError(problem, PROBLEM_MESSAGES[problem]);
}

/** 127.0.0.0/8, ::1 and localhost: where plain HTTP is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/**
 * Throws unless the origin is https, or http on a loopback host, or http to a portal whose user
 * chose "allow unencrypted HTTP" (an on-premise box whose administrator enabled
 * REST_APAUTH_ALLOW_HTTP, real-portal-notes §2: the webhook code then travels in clear).
 */
export function assertSecureOrigin(url: URL, options: { allowHttp?: boolean } = {}): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && (isLoopbackHost(url.hostname) || options.allowHttp === true)) return;
  fail(url.protocol === 'http:' ? 'https-required' : 'not-a-url');
}

export function parsePortalInput(input: string, options: { allowHttp?: boolean } = {}): PortalEndpoint {
  const text = input.trim();
  if (!text) fail('empty');
  // People paste "portal.bitrix24.com/rest/…" without a scheme; https is the only sane guess.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    fail('not-a-url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('not-a-url');
  if (!url.hostname || !/^[a-z0-9.\-[\]:]+$/i.test(url.hostname)) fail('not-a-url');
  // "garbage" parses as https://garbage: a single word is not a portal's address (no portal lives
  // on a bare intranet name without a dot; loopback names stay allowed for the simulator).
  if (!url.hostname.includes('.') && !url.hostname.includes(':') && !isLoopbackHost(url.hostname)) fail('not-a-url');
  if (url.username || url.password) fail('credentials-in-url');
  assertSecureOrigin(url, options);

  const origin = url.origin; // lower-cased host, default port dropped
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length === 0) return { kind: 'portal', origin };
  if (segments[0]?.toLowerCase() !== 'rest') fail('bad-webhook-path');
  const [, userSegment, codeSegment] = segments;
  if (!userSegment || !/^\d+$/.test(userSegment) || Number(userSegment) <= 0) fail('bad-webhook-path');
  if (!codeSegment || !/^[A-Za-z0-9_-]{4,}$/.test(codeSegment)) fail('bad-webhook-path');
  // Anything after the code is a method name ("profile", "im.notify.get.json"): dropped.
  return { kind: 'webhook', origin, userId: Number(userSegment), code: codeSegment };
}

/** The webhook's base URL as Bitrix24 shows it: `https://host/rest/<user>/<code>/`. */
export function webhookBaseUrl(endpoint: { origin: string; userId: number; code: string }): string {
  return `${endpoint.origin}/rest/${endpoint.userId}/${endpoint.code}/`;
}
