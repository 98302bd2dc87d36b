/**
 * Keeps credentials out of anything a person or a log file can see. The client registers every
 * secret it holds (webhook code, tokens, client secret) as it learns or rotates them; every error
 * message and log line it produces passes through `redact` first.
 */
const MASK = '***';
// Secrets shorter than this are not masked by value: masking "1" would shred every message.
const MIN_SECRET_LENGTH = 6;

/** `/rest/<user>/<code>/` in any URL-like text: the code is a secret even when we never saw it. */
const WEBHOOK_PATH = /(\/rest\/\d+\/)([^/\s?#"']+)/g;
/** `auth=…`, `access_token=…`, `refresh_token=…`, `client_secret=…` in query strings or bodies. */
const SECRET_PARAMS = /\b(auth|access_token|refresh_token|client_secret|code)(=|"\s*:\s*")([^&\s"']+)/gi;

export class Redactor {
  readonly #secrets = new Set<string>();

  add(...secrets: (string | undefined | null)[]): void {
    for (const secret of secrets) {
      if (secret && secret.length >= MIN_SECRET_LENGTH) this.#secrets.add(secret);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(MASK);
    }
    return out.replace(WEBHOOK_PATH, `$1${MASK}`).replace(SECRET_PARAMS, `$1$2${MASK}`);
  }
}
