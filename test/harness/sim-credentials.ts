/** The credentials a PortalClient needs for a simulator, as the app builds them from a stored account. */
import type { OAuthCredentials, OAuthTokens, WebhookCredentials } from '../../main/core/portal/credentials';
import type { PortalSim } from '../portal-sim';

export function simWebhookCredentials(portal: PortalSim): WebhookCredentials {
  return { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode };
}

/** Fresh tokens issued by the simulator, for its default OAuth app. */
export function simOAuthCredentials(portal: PortalSim, onTokens: (tokens: OAuthTokens) => void | Promise<void> = () => undefined): OAuthCredentials {
  const tokens = portal.issueTokens();
  return {
    kind: 'oauth',
    origin: portal.origin,
    clientId: 'local.sim.app',
    clientSecret: 'sim-secret',
    tokenUrl: portal.tokenUrl,
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
    onTokens,
  };
}
