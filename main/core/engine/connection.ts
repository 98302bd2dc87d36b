/**
 * What the window and tray show for a failed exchange with the portal.
 */
import type { PortalError } from '../portal/errors';
import type { ConnectionState } from './state';

/** What the window and tray show for a failed exchange. */
export function connectionFor(error: PortalError): ConnectionState {
  const message = error.userMessage;
  switch (error.kind) {
    case 'auth':
      return { status: 'auth-needed', message };
    case 'scope':
      return { status: 'scope-missing', message };
    case 'plan':
      return { status: 'plan-unavailable', message };
    case 'config':
      return { status: 'config-error', message };
    case 'certificate':
      return { status: 'certificate-error', message, host: error.certificate?.host ?? '', issuer: error.certificate?.issuer };
    case 'moved':
      return { status: 'portal-moved', message, movedTo: error.code === 'PORTAL_MOVED' ? error.movedTo : undefined };
    case 'rate-limited':
    case 'operating-limited':
      return { status: 'rate-limited', message, retryAt: error.retryAt };
    default:
      return { status: 'error', message, retryAt: error.retryAt };
  }
}
