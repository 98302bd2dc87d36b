/**
 * The handler URL to register on the Bitrix24 local application. The portal sends the sign-in
 * answer to the handler registered there and ignores the `redirect_uri` a client sends
 * (real-portal-notes §2; DOCS settings/oauth/index.md), so the app listens on exactly this one.
 */
export const OAUTH_REDIRECT_PORT = 47651;
export const OAUTH_HANDLER_URL = `http://127.0.0.1:${OAUTH_REDIRECT_PORT}/callback`;
