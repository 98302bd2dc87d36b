/**
 * What the log file must never hold. Builds on the portal client's Redactor (registered secrets
 * by value, `/rest/<user>/<code>/` paths, `auth=`/`access_token=`/`refresh_token=`/
 * `client_secret=`/`code=` parameters and their JSON forms) and adds what only a log sees:
 * Authorization and Proxy-Authorization headers, passwords in URLs (a proxy's `user:pass@`), and
 * credential fields as `util.inspect` prints objects (`accessToken: '…'`).
 */
import { Redactor } from '../portal/redact';

const MASK = '***';

/** `Authorization: Bearer x`, `'proxy-authorization': 'Basic x'`, `authorization=x`. */
const AUTH_HEADER = /\b((?:proxy-)?authorization['"]?\s*[:=]\s*['"]?)((?:basic|bearer|digest|negotiate|ntlm)\s+)?[^\s'",;}]+/gi;
/** `scheme://user:password@host` or `scheme://token@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"]+@/gi;
/**
 * Credential fields in object dumps and JSON, camelCase or snake_case: `accessToken: 'x'`,
 * `"clientSecret":"x"`. Not `code`: error objects carry harmless `code: 'ECONNRESET'`.
 */
const CREDENTIAL_FIELDS = /\b((?:access_?token|refresh_?token|client_?secret|password|passwd|token)['"]?\s*[:=]\s*['"]?)[^\s'",;}&]+/gi;

export class LogRedactor {
  readonly #secrets = new Redactor();

  /** Masks these values wherever they appear from now on (short values are ignored). */
  add(...secrets: (string | undefined | null)[]): void {
    this.#secrets.add(...secrets);
  }

  redact(text: string): string {
    return this.#secrets
      .redact(text)
      .replace(AUTH_HEADER, `$1$2${MASK}`)
      .replace(URL_USERINFO, `$1${MASK}@`)
      .replace(CREDENTIAL_FIELDS, `$1${MASK}`);
  }
}
