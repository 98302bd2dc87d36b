/**
 * What the window says about a storage problem: what was set aside, what was kept, where the old
 * data is, and what to do. The log gets the technical line; the user gets this.
 */
import type { StorageProblem } from './storage';

function plural(n: number, one: string, other: string): string {
  return `${n} ${n === 1 ? one : other}`;
}

export function storageNotice(problem: StorageProblem): string {
  const key = problem.key ?? '';
  if (problem.setAside !== undefined && key === 'accounts') {
    return `${plural(problem.setAside, 'saved portal', 'saved portals')} could not be read and ${problem.setAside === 1 ? 'was' : 'were'} set aside (kept in settings.json as “${problem.keptAs}”); ${plural(problem.kept ?? 0, 'other portal is', 'other portals are')} fine. Connect the missing portal again in Settings.`;
  }
  if (problem.setAside !== undefined && (key.endsWith(':outbox') || key === 'outbox')) {
    return `${plural(problem.setAside, 'unsent answer', 'unsent answers')} could not be read and ${problem.setAside === 1 ? 'was' : 'were'} set aside (kept in settings.json as “${problem.keptAs}”); ${plural(problem.kept ?? 0, 'other answer', 'other answers')} will still be sent. Answer that notification again if it is still waiting.`;
  }
  if (problem.key === undefined) return problem.message;
  return `Saved data (“${key}”) could not be read and was set aside (kept in settings.json as “${problem.keptAs}”); B24 Notify uses defaults for it.`;
}
