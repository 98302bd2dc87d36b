/**
 * Waiting on what the app emits instead of sleeping, and catching what a call rejects with.
 * Shared by the suites that drive the hub over the simulator.
 */
import type { HubSnapshot, NotificationHub } from '../../main/core/app/hub';
import { PortalError } from '../../main/core/portal/errors';

/** Resolves with the first hub snapshot (current or coming) that satisfies `predicate`. */
export function hubWhere(hub: NotificationHub, predicate: (snapshot: HubSnapshot) => boolean): Promise<HubSnapshot> {
  if (predicate(hub.snapshot())) return Promise.resolve(hub.snapshot());
  return new Promise((resolve) => {
    const off = hub.on('changed', (snapshot) => {
      if (!predicate(snapshot)) return;
      off();
      resolve(snapshot);
    });
  });
}

/** What `promise` rejected with; throws if it fulfilled or rejected with something else than a `kind`. */
export async function rejection<T extends Error>(promise: Promise<unknown>, kind: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => new Error(`expected a ${kind.name}, but the call succeeded`),
    (caught: unknown) => caught,
  );
  if (!(error instanceof kind)) throw error instanceof Error ? error : new Error(String(error));
  return error;
}

/** What `promise` rejected with; throws if it fulfilled or rejected with something else than a PortalError. */
export function portalFailure(promise: Promise<unknown>): Promise<PortalError> {
  return rejection(promise, PortalError);
}
