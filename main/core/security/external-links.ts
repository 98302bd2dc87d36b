/**
 * Which links the app may hand to the operating system (`shell.openExternal`). The OS opens
 * whatever it is given with the registered handler, so a `file:`, `smb:` or custom-scheme URL can
 * run programs: only web pages in the user's browser are ever opened, and only where we expect them.
 *
 *  - https only (plain http only for the portal itself on this computer: the simulator);
 *  - no user name or password in the URL (`https://portal@evil.example/` goes to evil.example);
 *  - the host must be a connected portal's, unless the user clicked the link in our window.
 *
 * Callers open the returned, normalised URL, never the raw string they were given: what was
 * checked is exactly what is opened.
 */
import { isLoopbackHost, parsePortalInput } from '../portal/portal-url';

export interface ExternalLinkPolicy {
  /** The connected portals, as hosts ("acme.bitrix24.com"), origins or addresses as typed. */
  portalHosts?: Iterable<string>;
  /** The user clicked this link in the window: any https host will do. */
  userClicked?: boolean;
}

/** Longer than any real link; a huge string is only ever an attack on the OS handler. */
const MAX_URL_LENGTH = 8_192;

/** The host (with port) of a portal given as a host, origin or typed address; undefined if it is none. */
function portalHost(entry: string): string | undefined {
  try {
    return new URL(parsePortalInput(entry).origin).host;
  } catch {
    return undefined;
  }
}

/** The normalised URL to open, or undefined when the link must not leave the app. */
export function safeExternalUrl(url: unknown, policy: ExternalLinkPolicy = {}): string | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return undefined;
  // The URL parser drops leading spaces and control characters and tabs or newlines anywhere
  // ("java\nscript:"): a link that needs that cleaning is not one we wrote, so it is refused.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username || parsed.password) return undefined;
  if (!parsed.hostname) return undefined;
  // Compared after the parser's IDNA mapping, so a look-alike (Cyrillic "а") is another host.
  const isPortal = [...(policy.portalHosts ?? [])].some((entry) => portalHost(entry) === parsed.host);
  if (parsed.protocol === 'http:') return isPortal && isLoopbackHost(parsed.hostname) ? parsed.href : undefined;
  if (parsed.protocol !== 'https:') return undefined;
  return isPortal || policy.userClicked === true ? parsed.href : undefined;
}

export function isSafeExternalUrl(url: unknown, policy: ExternalLinkPolicy = {}): boolean {
  return safeExternalUrl(url, policy) !== undefined;
}

export class ExternalLinkRefused extends Error {
  override readonly name = 'ExternalLinkRefused';
}

/**
 * Wraps an opener (Electron's `shell.openExternal`) so it opens only what the policy allows, and
 * the normalised URL at that; anything else is refused with an error and never reaches the OS.
 */
export function guardedOpenExternal(open: (url: string) => void | Promise<void>, policy: ExternalLinkPolicy): (url: string) => Promise<void> {
  return async (url) => {
    const safe = safeExternalUrl(url, policy);
    if (safe === undefined) throw new ExternalLinkRefused('Refused to open a link outside the portal in the browser.');
    await open(safe);
  };
}
