/**
 * npm run demo's arrivals (issue 17): on virtual time, a notification lands within 10 s of start
 * and then every 2 minutes, a confirm with buttons and an ordinary one in turn, on both portals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { FakeClock } from '../harness/fake-clock';
import { startArrivals } from '../harness/preview/demo-arrivals';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the demo’s arrivals', () => {
  it('the first within 10 s, then one every 2 minutes: confirm with buttons, then an ordinary one, across the portals', async () => {
    const portals: PortalSim[] = [await startPortalSim(), await startPortalSim()];
    for (const portal of portals) cleanups.push(() => portal.close());
    const clock = new FakeClock();
    cleanups.push(startArrivals(portals, clock));
    const count = (): number => portals.reduce((sum, portal) => sum + portal.notifications().length, 0);

    await clock.advance(9_999);
    expect(count()).toBe(1);
    const first = portals[0]!.notifications()[0]!;
    expect(first.notify_type).toBe(1); // a confirm…
    expect(JSON.parse(first.notify_buttons ?? '[]')).toHaveLength(2); // …with its buttons
    await clock.advance(2 * 60_000);
    expect(count()).toBe(2);
    expect(portals[0]!.notifications()[1]!.notify_type).not.toBe(1);
    await clock.advance(2 * 60_000);
    expect(portals[1]!.notifications()).toHaveLength(1);
    expect(count()).toBe(3);
  });
});
