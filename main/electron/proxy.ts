/**
 * The system's proxy for portal requests: Chromium resolves it (system settings, PAC, WPAD) and
 * undici carries it out through ProxyRouter. Electron reports no proxy or network change to the
 * main process, so decisions also expire on their own (ProxyRouter's `maxAgeMs`) besides being
 * dropped on resume and unlock, when the machine has most likely changed networks.
 */
import { powerMonitor, session } from 'electron';
import type { LogFn } from '../core/log/logger';
import { ProxyRouter } from '../core/portal/proxy';

/** After `ready` (the default session exists only then). */
export function createSystemProxyRouter(log: LogFn): ProxyRouter {
  const router = new ProxyRouter({ resolveProxy: (url) => session.defaultSession.resolveProxy(url), log });
  powerMonitor.on('resume', () => router.refresh());
  powerMonitor.on('unlock-screen', () => router.refresh());
  return router;
}
