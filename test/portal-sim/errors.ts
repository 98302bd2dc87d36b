/**
 * REST errors: `{"error": CODE, "error_description": text}` with an HTTP status (§4.6). Handler
 * errors default to 400 like RestException; auth errors come through OAuthException (401).
 */

export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number = 400,
  ) {
    super(`${code}: ${description}`);
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** Texts the portal sends for the protocol-level errors, keyed by code. */
export const ERROR_TEXT = {
  NO_AUTH_FOUND: 'Wrong authorization data',
  INVALID_CREDENTIALS: 'Invalid request credentials',
  INVALID_REQUEST: 'Https required.',
  expired_token: 'The access token provided has expired',
  invalid_token: 'The access token provided is invalid',
  insufficient_scope_webhook: 'The request requires higher privileges than provided by the webhook token',
  insufficient_scope_token: 'The request requires higher privileges than provided by the access token',
  ACCESS_DENIED_webhook: 'REST is available only by subscription.',
  ACCESS_DENIED_oauth: 'REST is available only on commercial plans.',
  ERROR_METHOD_NOT_FOUND: 'Method not found!',
  QUERY_LIMIT_EXCEEDED: 'Too many requests',
  OPERATION_TIME_LIMIT: 'Method is blocked due to operation time limit.',
  ERROR_BATCH_LENGTH_EXCEEDED: 'Max batch length exceeded',
  ERROR_BATCH_METHOD_NOT_ALLOWED: 'Method is not allowed for batch usage',
  OVERLOAD_LIMIT: 'REST API is blocked due to overload.',
} as const;

export function methodNotFound(): RestError {
  return new RestError('ERROR_METHOD_NOT_FOUND', ERROR_TEXT.ERROR_METHOD_NOT_FOUND, 404);
}
