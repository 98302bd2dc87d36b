/**
 * Keeps credentials out of anything a person or a log file can see. The client registers every
 * secret it holds (webhook code, tokens, client secret) as it learns or rotates them; every error
 * message and log line it produces passes through `redact` first.
 */
const MASK = '***';
// Secrets shorter than this are not masked by value: masking "1" would shred every message. The
// webhook URL parser accepts codes of 4 characters (portal-url.ts), so 4 it is.
const MIN_SECRET_LENGTH = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * One secret in every form a portal or a library could echo it: as it is, in any letter case,
 * and percent-encoded in whole or in part (`%6B`, `%6b`). Each character matches itself or its
 * UTF-8 percent-encoding; the `i` flag covers case in both.
 */
function secretPattern(secret: string): RegExp {
  const alternatives = [...secret].map((char) => {
    const encoded = [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    return `(?:${escapeRegExp(char)}|${encoded})`;
  });
  return new RegExp(alternatives.join(''), 'gi');
}

/** `/rest/<user>/<code>/` in any URL-like text: the code is a secret even when we never saw it. */
const WEBHOOK_PATH = /(\/rest\/\d+\/)([^/\s?#"']+)/g;
/** `auth=…`, `access_token=…`, `refresh_token=…`, `client_secret=…` in query strings or bodies. */
const SECRET_PARAMS = /\b(auth|access_token|refresh_token|client_secret|code)(=|"\s*:\s*")([^&\s"']+)/gi;

export class Redactor {
  readonly #secrets = new Map<string, RegExp>();
  /** Longest first, so a secret containing another is masked whole. */
  #ordered: RegExp[] = [];

  add(...secrets: (string | undefined | null)[]): void {
    let changed = false;
    for (const secret of secrets) {
      if (!secret || secret.length < MIN_SECRET_LENGTH || this.#secrets.has(secret)) continue;
      this.#secrets.set(secret, secretPattern(secret));
      changed = true;
    }
    if (changed) this.#ordered = [...this.#secrets.entries()].sort(([a], [b]) => b.length - a.length).map(([, pattern]) => pattern);
  }

  redact(text: string): string {
    let out = text;
    for (const pattern of this.#ordered) out = out.replace(pattern, MASK);
    return out.replace(WEBHOOK_PATH, `$1${MASK}`).replace(SECRET_PARAMS, `$1$2${MASK}`);
  }
}
