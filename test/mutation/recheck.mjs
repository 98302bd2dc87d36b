#!/usr/bin/env node
/**
 * Re-checks mutants Stryker reported as Survived by doing by hand what a mutant run should do:
 * write the mutant into the source, run the tests that import that file (`vitest related`, with
 * the mutation suite's config), put the source back. A failing run marks the mutant Killed in both
 * the committed incremental file and reports/mutation/mutation.json, so the next incremental run
 * keeps that verdict until the file or its tests change (for a non-static mutant, only while
 * Stryker's own coverage credits the killing test: the script says when it does not). A run that
 * stops without a failed test (a crash, a time limit, Ctrl-C) records nothing for that mutant.
 *
 * Why: Stryker 9.6.1's vitest runner (Stryker 10 needs Node ≥ 22) reports some mutants Survived
 * that their tests kill — static mutants (values computed when a module loads) most of all, whose
 * coverage it attributes to whichever test imported the module first (stryker-js #6209, #6192).
 *
 *   npm run test:mutation:recheck [-- --all] [-- --scope=engine] [-- <path fragment> ...]
 * Default: the static survivors. `--all`: every survivor (slow: one related run per mutant).
 * `--scope=<name>`: the incremental file of `npm run test:mutation:<name>` (scope.mjs); its
 * survivors are run against the whole mutation suite, as a scope's lower bound allows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
// `--scope=engine`: the results of `npm run test:mutation:engine` (scope.mjs), re-checked against the whole suite.
const scopeName = args.find((arg) => arg.startsWith('--scope='))?.slice('--scope='.length);
const REPORT = scopeName ? `reports/mutation-${scopeName}/mutation.json` : 'reports/mutation/mutation.json';
const INCREMENTAL = scopeName ? `reports/stryker-incremental-${scopeName}.json` : 'reports/stryker-incremental.json';
const all = args.includes('--all');
const fragments = args.filter((arg) => !arg.startsWith('--'));

// The incremental file is the record (committed, with each file's source); the last run's report
// is updated alongside when it is there.
const incremental = JSON.parse(readFileSync(INCREMENTAL, 'utf8'));
const report = existsSync(REPORT) ? JSON.parse(readFileSync(REPORT, 'utf8')) : undefined;

/** Lines are 1-based; columns 1-based with the end excluded (mutation-testing-report-schema). */
function offset(source, { line, column }) {
  let at = 0;
  for (let current = 1; current < line; current++) at = source.indexOf('\n', at) + 1;
  return at + column - 1;
}

/** Ids are renumbered between runs; what a mutant is stays the same. */
function sameMutant(a, b) {
  return a.mutatorName === b.mutatorName && a.replacement === b.replacement && JSON.stringify(a.location) === JSON.stringify(b.location);
}

/**
 * The test that failed, as the incremental file knows it: Stryker keeps a Killed verdict only while
 * one of its `killedBy` tests is unchanged (incremental-differ.js mutantCanBeReused), and a static
 * mutant's old covering tests count as still covering it.
 */
function killerId(result) {
  for (const testFile of result.testResults ?? []) {
    const failed = (testFile.assertionResults ?? []).find((test) => test.status === 'failed');
    if (!failed) continue;
    const known = incremental.testFiles[relative(process.cwd(), testFile.name)];
    const test = known?.tests.find((candidate) => candidate.name === failed.fullName.trim());
    if (test) return test.id;
  }
  return undefined;
}

/** Whether the run failed because a test failed (not a crash, a timeout or a missing tool). */
function aTestFailed(result) {
  return (result?.testResults ?? []).some((file) => (file.assertionResults ?? []).some((test) => test.status === 'failed'));
}

const BACKUP_SUFFIX = '.recheck-original';
// A run killed while a mutant was written leaves the original beside it: put it back first.
for (const file of Object.keys(incremental.files)) {
  const backup = file + BACKUP_SUFFIX;
  if (existsSync(backup)) {
    renameSync(backup, file);
    console.log(`restored ${file} from an interrupted re-check`);
  }
}

/** vitest's JSON report of each related run. */
const resultFile = join(mkdtempSync(join(tmpdir(), 'b24-recheck-')), 'result.json');

let checked = 0;
let killed = 0;
let stopped = false;
files: for (const [file, entry] of Object.entries(incremental.files)) {
  if (fragments.length > 0 && !fragments.some((fragment) => file.includes(fragment))) continue;
  const original = readFileSync(file, 'utf8');
  if (original !== entry.source) {
    console.log(`skip ${file}: changed since the report (run npm run test:mutation first)`);
    continue;
  }
  for (const mutant of entry.mutants) {
    if (mutant.status !== 'Survived' || (!all && !mutant.static)) continue;
    const start = offset(original, mutant.location.start);
    const end = offset(original, mutant.location.end);
    writeFileSync(file + BACKUP_SUFFIX, original);
    writeFileSync(file, original.slice(0, start) + mutant.replacement + original.slice(end));
    rmSync(resultFile, { force: true });
    let run;
    try {
      run = spawnSync('npx', ['vitest', 'related', file, '--run', '--config', 'test/mutation/vitest.config.ts', '--bail=1', '--reporter=json', `--outputFile=${resultFile}`], { stdio: 'ignore', timeout: 300_000 });
    } finally {
      renameSync(file + BACKUP_SUFFIX, file);
    }
    const line = `${file}:${mutant.location.start.line} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement).slice(0, 60)}`;
    if (run.signal || run.error) {
      // Interrupted (Ctrl-C, the time limit) or vitest could not start: nothing is recorded.
      console.error(`stopped at ${line}: ${run.signal ?? run.error?.message}`);
      stopped = true;
      break files;
    }
    checked++;
    if (run.status === 0) {
      console.log(`survives  ${line}`);
      continue;
    }
    const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
    if (!aTestFailed(result)) {
      console.error(`stopped at ${line}: vitest exited ${run.status} without a failed test (a crash, not a kill)`);
      stopped = true;
      break files;
    }
    killed++;
    const killer = killerId(result);
    const rerun = killer === undefined || (!mutant.static && !mutant.coveredBy?.includes(killer));
    // Stryker keeps a Killed verdict only while the killing test covers the mutant in its own
    // coverage (always, for a static mutant): otherwise its next incremental run tests it again.
    console.log(`killed    ${line}${rerun ? ' (Stryker will test it again next time: its coverage does not credit this test)' : ''}`);
    for (const target of [mutant, report?.files[file]?.mutants.find((candidate) => sameMutant(candidate, mutant))]) {
      if (!target) continue;
      target.status = 'Killed';
      if (killer !== undefined) {
        target.killedBy = [killer];
        target.coveredBy = [...new Set([...(target.coveredBy ?? []), killer])];
      }
      target.statusReason = 'killed when re-checked with vitest related (test/mutation/recheck.mjs)';
    }
  }
}
if (report) writeFileSync(REPORT, JSON.stringify(report));
writeFileSync(INCREMENTAL, JSON.stringify(incremental, null, 2));
console.log(`${checked} survivors re-checked, ${killed} killed${stopped ? ' (stopped early: what was found so far is kept)' : ''}`);
if (stopped) process.exitCode = 1;
