/** vitest globalSetup: the system prerequisites, checked once before any suite (prerequisites.ts). */
import { checkPrerequisites } from './prerequisites';

export default function setup(): () => void {
  const verdict = checkPrerequisites();
  if (verdict.fatal) throw new Error(`\n${verdict.message}\n`);
  if (verdict.message) console.warn(`\n${verdict.message}\n`);
  // Said again at the end, where the summary is read.
  return () => {
    if (verdict.message) console.warn(`\n${verdict.message}\n`);
  };
}
