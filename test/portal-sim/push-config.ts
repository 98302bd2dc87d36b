/**
 * `pull.config.get` on the simulated portal (real-portal-notes.md §4): scope `pull_channel`
 * [MOD pull/lib/rest.php ~355-394]; OAuth callers get WRONG_AUTH_TYPE (its only auth check);
 * a portal without a push server answers `server_enabled: false`.
 */
import type { MethodDefinition } from './call';
import type { SimContext } from './context';
import { RestError } from './errors';

/** What the portal's push server offers: a config builder, or none (on-premise without one). */
export type SimPushOffer = ((nowMs: number) => Record<string, unknown>) | 'disabled';

const offers = new WeakMap<SimContext, SimPushOffer>();

export function setPushOffer(sim: SimContext, offer: SimPushOffer): void {
  offers.set(sim, offer);
}

export const PULL_METHODS: Record<string, MethodDefinition> = {
  'pull.config.get': {
    scope: 'pull_channel',
    handler: (call) => {
      if (call.auth.kind !== 'webhook') throw new RestError('WRONG_AUTH_TYPE', 'Method is not allowed for OAuth applications', 400);
      const offer = offers.get(call.sim) ?? 'disabled';
      if (offer === 'disabled') return { server: { version: 0, server_enabled: false } };
      return offer(call.sim.now());
    },
  },
};
