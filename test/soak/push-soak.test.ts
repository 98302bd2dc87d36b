/**
 * The soak with instant delivery (push-scenario.ts), short: three seeds of random portal traffic
 * and every push fault, judged like the main soak.
 */
import { describe, expect, it } from 'vitest';
import { runPushScenario } from './push-scenario';

describe.each([16, 90210, 31337])('push soak (short), seed %i', (seed) => {
  it('every invariant holds', async () => {
    const report = await runPushScenario({ seed, steps: 120 });
    const failed = report.invariants.filter((invariant) => !invariant.ok);
    expect(failed, JSON.stringify({ failed, counts: report.counts }, null, 2)).toEqual([]);
    expect(report.invariants.length).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
