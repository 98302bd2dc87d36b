/**
 * `npm run demo`'s arrivals (issue 17): within 10 s of start and then every 2 minutes a new
 * notification lands on one of the demo portals, a confirm with buttons and an ordinary one in
 * turn, so a user sees real popups arrive under any desktop without doing anything. Timers on the
 * given clock, so a test drives them on virtual time.
 */
import type { Clock } from '../../../main/core/clock';
import type { PortalSim } from '../../portal-sim';

export const FIRST_ARRIVAL_MS = 8_000;
export const ARRIVAL_EVERY_MS = 2 * 60_000;

const ACCEPT_DECLINE = [
  { title: 'Accept', value: 'Y', type: 'accept' as const },
  { title: 'Decline', value: 'N', type: 'cancel' as const },
];

/** The n-th arrival (0-based): even ones are confirms, odd ones ordinary; portals alternate in pairs. */
export function arrive(portals: readonly PortalSim[], n: number): void {
  const portal = portals[Math.floor(n / 2) % portals.length]!;
  if (n % 2 === 0) {
    portal.addConfirm({
      title: `Meeting: demo sync #${n / 2 + 1}`,
      text: '[USER=3]Maria Ivanova[/USER] invites you to a [B]15-minute sync[/B]',
      buttons: ACCEPT_DECLINE,
      module: 'calendar',
      event: 'invite',
      tag: `CALENDAR|INVITE|DEMO|${n}`,
      authorId: 3,
      resultMessage: 'Invitation accepted',
    });
  } else {
    portal.addPersonal({ text: `Commented on the task [URL=/company/personal/user/1/tasks/task/view/${100 + n}/]Demo task ${n}[/URL]: “Looks good to me.”`, authorId: 5, module: 'tasks', event: 'comment' });
  }
}

/** Starts the arrivals; returns a stop. */
export function startArrivals(portals: readonly PortalSim[], clock: Clock): () => void {
  const stop = new AbortController();
  void (async () => {
    let delayMs = FIRST_ARRIVAL_MS;
    for (let n = 0; !stop.signal.aborted; n += 1) {
      try {
        await clock.sleep(delayMs, stop.signal);
      } catch {
        return;
      }
      arrive(portals, n);
      delayMs = ARRIVAL_EVERY_MS;
    }
  })();
  return () => stop.abort();
}
