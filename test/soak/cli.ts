/**
 * The long fault and soak run: npm run soak -- --minutes N [--seed S] [--verbose]
 * Plays rounds of the fault scenario with heavy background traffic (and random faults) for N real
 * minutes, then prints the counts and the invariants; exits 1 if any invariant is violated.
 * With --push, the soak with instant delivery instead (push-scenario.ts): --steps N random events.
 */
import { parseArgs } from 'node:util';
import { runPushScenario } from './push-scenario';
import { formatReport, runScenario } from './scenario';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2' },
    seed: { type: 'string' },
    background: { type: 'string', default: '40' },
    verbose: { type: 'boolean', default: false },
    push: { type: 'boolean', default: false },
    steps: { type: 'string', default: '2000' },
  },
});
const minutes = Number(values.minutes);
if (!(minutes >= 0)) throw new Error(`--minutes wants a number ≥ 0, not ${values.minutes}`);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000;
const started = performance.now();

if (values.push) {
  console.log(`push soak: ${values.steps} steps, seed ${seed} (replay with --push --seed ${seed})`);
  const report = await runPushScenario({ seed, steps: Number(values.steps) });
  for (const [label, value] of report.counts) console.log(`${label}: ${value}`);
  for (const invariant of report.invariants) console.log(`${invariant.ok ? 'ok    ' : 'FAILED'} ${invariant.name} — ${invariant.detail}`);
  process.exit(report.ok ? 0 : 1);
}
console.log(`soak: ${minutes} minute(s), seed ${seed} (replay with --seed ${seed})`);
const report = await runScenario({
  seed,
  minutes,
  backgroundSteps: Number(values.background),
  backgroundFaults: true,
  log: (line) => {
    if (values.verbose || line.startsWith('round')) console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`);
  },
});
console.log('');
console.log(formatReport(report));
process.exitCode = report.ok ? 0 : 1;
