#!/usr/bin/env node
// Security gate (`npm run security`, part of `npm test` after the build): runs
// @doyensec/electronegativity over the app and fails on any HIGH or MEDIUM finding that
// build/security-allowlist.json does not justify, and on any allowlist entry that no longer
// matches a finding.
//
// What is scanned: the TypeScript sources of the main process and preload (main/), the renderer's
// TypeScript and HTML (renderer/), and the built page as it ships (dist/renderer/index.html, where
// the CSP lives). The built JavaScript bundles are not: the scanner cannot parse them (private class
// fields), and they are these same sources plus dependencies.
//
// Why electronegativity is driven through its API and not its CLI: with `-o`, the CLI drops the
// files it fails to parse without a word (a gate would pass on code it never read), its SARIF has
// no severity, and it fetches translations and Electron's release list from the network even
// with `-e`. Here a file it cannot read fails the gate, severities come from the scanner itself,
// and the network is never touched.
//
// Usage: node build/security-gate.mjs [--root <dir>] [--allowlist <file>] [--sarif <file>]
// Exit codes: 0 passed, 1 unjustified findings or a bad allowlist, 2 could not scan.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, findingsFromSarif, formatReport, toSarif, validateAllowlist } from './security-gate-lib.mjs';

const repo = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: repo },
    allowlist: { type: 'string', default: join(repo, 'build', 'security-allowlist.json') },
    sarif: { type: 'string' },
  },
});
const root = resolve(args.root);
const require = createRequire(join(repo, 'package.json'));

/** Only what the scanner reads; everything else (sounds, CSS, Svelte) is left out of the copy. */
const SCANNED = new Set(['.ts', '.tsx', '.js', '.jsx', '.html', '.htm']);
const SOURCES = ['main', 'renderer'];
const BUILT_PAGE = join('dist', 'renderer', 'index.html');
/** Needs the network (Electron's release notes) and reads package.json, which is not scanned. */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** A reason to stop before deciding (nothing to scan, an unreadable file): exit code 2. */
class GateError extends Error {}
function fail(message) {
  throw new GateError(message);
}

/** One directory holding exactly what is scanned, with repository-relative paths. */
function stage() {
  for (const source of SOURCES) if (!existsSync(join(root, source))) fail(`${source}/ not found under ${root}.`);
  if (!existsSync(join(root, BUILT_PAGE))) fail(`${BUILT_PAGE} is missing: run \`npm run build\` first.`);
  const dir = mkdtempSync(join(tmpdir(), 'b24-security-'));
  for (const source of SOURCES) {
    cpSync(join(root, source), join(dir, source), { recursive: true, filter: (path) => !extname(path) || SCANNED.has(extname(path)) });
  }
  mkdirSync(join(dir, dirname(BUILT_PAGE)), { recursive: true });
  cpSync(join(root, BUILT_PAGE), join(dir, BUILT_PAGE));
  return dir;
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The scanner honours `eng-disable` comments; justifications belong in the reviewed allowlist instead. */
function inlineSuppressions(dir) {
  return filesUnder(dir).filter((file) => /eng-disable/i.test(readFileSync(file, 'utf8'))).map((file) => relative(dir, file));
}

/** electronegativity's `run`, loaded with `got` replaced by a stub that always fails: no network. */
function loadScanner() {
  const offline = () => Promise.reject(new Error('The security gate runs offline.'));
  const got = Object.assign(offline, { get: offline, head: offline, __esModule: true });
  got.default = got;
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'got' ? got : load.call(this, request, ...rest);
  };
  try {
    return require('@doyensec/electronegativity');
  } finally {
    Module._load = load;
  }
}

/** The installed Electron's, so version-dependent defaults are judged right without asking the network. */
function electronVersion() {
  return require('electron/package.json').version;
}

async function scan(input) {
  const run = loadScanner();
  // The scanner prints its own chatter ("could not retrieve translations"); shown only if it fails.
  const chatter = [];
  const { log, warn } = console;
  console.log = console.warn = (...parts) => chatter.push(parts.join(' '));
  try {
    return await run(
      { input, isRelative: true, electronVersionOverride: electronVersion(), customScan: [], excludeFromScan: EXCLUDED_CHECKS, parserPlugins: [] },
      false,
    );
  } catch (error) {
    console.log = log;
    console.warn = warn;
    console.error(chatter.join('\n'));
    throw error;
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

async function gate(staged) {
  const suppressed = inlineSuppressions(staged);
  if (suppressed.length) fail(`inline "eng-disable" comments hide findings from review; use ${relative(repo, args.allowlist)} instead:\n  ${suppressed.join('\n  ')}`);

  const { errors, issues, atomicChecks, globalChecks } = await scan(staged);
  if (!atomicChecks || !globalChecks) fail('electronegativity loaded no checks.');
  for (const error of errors.filter((e) => e.tolerable)) console.warn(`security gate: warning in ${relative(staged, error.file)}: ${error.message}`);
  const unreadable = errors.filter((e) => !e.tolerable);
  if (unreadable.length) fail(`electronegativity could not parse, so did not check:\n  ${unreadable.map((e) => `${relative(staged, e.file)}: ${e.message}`).join('\n  ')}`);

  const toolVersion = require('@doyensec/electronegativity/package.json').version;
  // One fixed file, overwritten by each run, for whoever wants to read or upload it.
  const sarifPath = resolve(args.sarif ?? join(tmpdir(), 'b24-notify-electronegativity.sarif'));
  writeFileSync(sarifPath, JSON.stringify(toSarif(issues, { toolVersion }), null, 2));
  // The decision is taken on the SARIF as written, the same parsing the tests exercise.
  const findings = findingsFromSarif(JSON.parse(readFileSync(sarifPath, 'utf8')));

  if (!existsSync(args.allowlist)) fail(`allowlist ${args.allowlist} not found.`);
  const { entries, problems } = validateAllowlist(JSON.parse(readFileSync(args.allowlist, 'utf8')));
  const result = evaluate(findings, entries);

  console.log(`electronegativity ${toolVersion} (as for Electron ${electronVersion()}): ${atomicChecks} atomic and ${globalChecks} global checks over ${SOURCES.join('/, ')}/ and ${BUILT_PAGE}`);
  console.log(formatReport(result));
  console.log(`SARIF: ${sarifPath}`);
  for (const problem of problems) console.error(`security gate: ${problem}`);
  if (result.unjustified.length) {
    console.error(`security gate: ${result.unjustified.length} HIGH/MEDIUM finding(s) without a justification. Fix the code, or, for a false positive, add an entry to ${relative(repo, args.allowlist)}.`);
  }
  if (!result.ok || problems.length) return 1;
  console.log('security gate: passed.');
  return 0;
}

let staged;
try {
  staged = stage();
  process.exitCode = await gate(staged);
} catch (error) {
  console.error(`security gate: ${error instanceof GateError ? error.message : (error?.stack ?? error)}`);
  process.exitCode = 2;
} finally {
  if (staged) rmSync(staged, { recursive: true, force: true });
}
