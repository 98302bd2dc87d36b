/**
 * The security gate (build/security-gate.mjs): its decision on crafted SARIF and allowlists, and
 * the whole script against a deliberately insecure app, with the real electronegativity.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript build tooling, without type declarations.
import * as gateLib from '../../build/security-gate-lib.mjs';

interface Finding {
  rule: string;
  file: string;
  line: number;
  severity: string;
  severityAssumed: boolean;
  confidence: string;
}
interface AllowlistEntry {
  rule: string;
  file: string;
  reason: string;
  reviewedBy: string;
  date: string;
}
interface Evaluation {
  ok: boolean;
  unjustified: Finding[];
  stale: AllowlistEntry[];
  rows: { finding: Finding; status: 'FAIL' | 'allowed' | 'ignored' }[];
}
const lib = gateLib as {
  WHOLE_APP: string;
  toSarif: (issues: unknown[], options: { toolVersion: string }) => unknown;
  findingsFromSarif: (sarif: unknown) => Finding[];
  validateAllowlist: (json: unknown) => { entries: AllowlistEntry[]; problems: string[] };
  evaluate: (findings: Finding[], allowlist: AllowlistEntry[]) => Evaluation;
  formatReport: (evaluation: Evaluation) => string;
};

const root = join(import.meta.dirname, '..', '..');

/** A SARIF log as the gate writes it: electronegativity's layout, severity in `properties`. */
function sarif(...results: { rule: string; file?: string; severity?: string; level?: string }[]): unknown {
  return {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Electronegativity', rules: [] } },
        results: results.map(({ rule, file, severity, level }) => ({
          ruleId: rule,
          level: level ?? 'warning',
          message: { text: rule },
          locations: [{ physicalLocation: { artifactLocation: { uri: file ?? 'file:///' }, region: { startLine: 3, startColumn: 5 } } }],
          ...(severity ? { properties: { severity, confidence: 'CERTAIN' } } : {}),
        })),
      },
    ],
  };
}

function entry(rule: string, file: string): AllowlistEntry {
  return { rule, file, reason: 'Reviewed: a false positive, because the window denies every request it covers.', reviewedBy: 'test', date: '2026-01-31' };
}

const HIGH = { rule: 'CONTEXT_ISOLATION_JS_CHECK', file: 'main/app/window.ts', severity: 'HIGH' };

describe('security gate decision', () => {
  it('fails on an unjustified HIGH finding', () => {
    const result = lib.evaluate(lib.findingsFromSarif(sarif(HIGH)), []);
    expect(result.ok).toBe(false);
    expect(result.unjustified).toEqual([expect.objectContaining({ rule: HIGH.rule, file: HIGH.file, severity: 'HIGH', line: 3 })]);
    expect(lib.formatReport(result)).toMatch(/FAIL\s+HIGH\s+CERTAIN\s+CONTEXT_ISOLATION_JS_CHECK\s+main\/app\/window\.ts:3:5/);
  });

  it('fails on an unjustified MEDIUM finding, and on one justified only for another file', () => {
    const medium = { rule: 'PRELOAD_JS_CHECK', file: 'main/app/window.ts', severity: 'MEDIUM' };
    expect(lib.evaluate(lib.findingsFromSarif(sarif(medium)), []).ok).toBe(false);
    const elsewhere = lib.evaluate(lib.findingsFromSarif(sarif(medium)), [entry('PRELOAD_JS_CHECK', 'main/app/other.ts')]);
    expect(elsewhere.ok).toBe(false);
    expect(elsewhere.unjustified).toHaveLength(1);
  });

  it('passes a HIGH finding that the allowlist justifies (same rule, same file)', () => {
    const result = lib.evaluate(lib.findingsFromSarif(sarif(HIGH, { ...HIGH, file: './main/app/window.ts' })), [entry(HIGH.rule, HIGH.file)]);
    expect(result).toMatchObject({ ok: true, unjustified: [], stale: [] });
    expect(result.rows.map((row) => row.status)).toEqual(['allowed', 'allowed']);
  });

  it('shows LOW and INFORMATIONAL findings but never fails on them', () => {
    const result = lib.evaluate(
      lib.findingsFromSarif(sarif({ rule: 'CSP_GLOBAL_CHECK', file: 'dist/renderer/index.html', severity: 'LOW' }, { rule: 'CSP_HTML_CHECK', file: 'renderer/index.html', severity: 'INFORMATIONAL' })),
      [],
    );
    expect(result.ok).toBe(true);
    expect(result.rows.map((row) => row.status)).toEqual(['ignored', 'ignored']);
  });

  it('fails on a stale allowlist entry, including one that only matches a LOW finding', () => {
    const findings = lib.findingsFromSarif(sarif({ rule: 'CSP_GLOBAL_CHECK', file: 'dist/renderer/index.html', severity: 'LOW' }));
    const gone = entry('NODE_INTEGRATION_JS_CHECK', 'main/app/window.ts');
    const needless = entry('CSP_GLOBAL_CHECK', 'dist/renderer/index.html');
    const result = lib.evaluate(findings, [gone, needless]);
    expect(result.ok).toBe(false);
    expect(result.stale).toEqual([gone, needless]);
    expect(lib.formatReport(result)).toMatch(/STALE allowlist entry: NODE_INTEGRATION_JS_CHECK in main\/app\/window\.ts/);
  });

  it('counts a finding without a known severity as HIGH (electronegativity’s own SARIF has none)', () => {
    const [finding] = lib.findingsFromSarif(sarif({ rule: 'LIMIT_NAVIGATION_GLOBAL_CHECK' }, { rule: 'X', file: 'a.ts', severity: 'SEVERE' }));
    expect(finding).toMatchObject({ severity: 'HIGH', severityAssumed: true, file: lib.WHOLE_APP });
    expect(lib.evaluate([finding!], []).ok).toBe(false);
    expect(() => lib.findingsFromSarif({ version: '2.1.0' })).toThrow(/runs/);
  });

  it('reads back what it writes from the scanner’s results', () => {
    const issues = [
      { id: 'PRELOAD_JS_CHECK', file: 'main\\app\\window.ts', location: { line: 27, column: 6 }, severity: { name: 'MEDIUM' }, confidence: { name: 'FIRM' }, manualReview: true, description: 'Review the use of preload scripts' },
      { id: 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', file: 'N/A', location: { line: 0, column: 0 }, severity: { name: 'MEDIUM' }, confidence: { name: 'CERTAIN' }, manualReview: false, description: 'Missing handler' },
    ];
    const written = JSON.parse(JSON.stringify(lib.toSarif(issues, { toolVersion: '1.10.3' })));
    expect(lib.findingsFromSarif(written)).toEqual([
      expect.objectContaining({ rule: 'PRELOAD_JS_CHECK', file: 'main/app/window.ts', line: 27, column: 7, severity: 'MEDIUM', confidence: 'FIRM', manualReview: true }),
      expect.objectContaining({ rule: 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', file: lib.WHOLE_APP, line: 1, severity: 'MEDIUM', manualReview: false }),
    ]);
  });

  it('accepts only allowlist entries that say what, where, why, who and when', () => {
    expect(lib.validateAllowlist([entry('PRELOAD_JS_CHECK', 'main/app/window.ts'), entry('X_CHECK', lib.WHOLE_APP)]).problems).toEqual([]);
    const bad = (change: Record<string, unknown>) => lib.validateAllowlist([{ ...entry('PRELOAD_JS_CHECK', 'main/app/window.ts'), ...change }]).problems;
    expect(bad({ reason: 'ok' })).toEqual([expect.stringMatching(/reason/)]);
    expect(bad({ reviewedBy: ' ' })).toEqual([expect.stringMatching(/reviewedBy/)]);
    expect(bad({ date: '2026-02-30' })).toEqual([expect.stringMatching(/date/)]);
    expect(bad({ file: '/abs/window.ts' })).toEqual([expect.stringMatching(/file/)]);
    expect(bad({ file: 'main/../../etc/passwd' })).toEqual([expect.stringMatching(/file/)]);
    expect(bad({ rule: 'preload' })).toEqual([expect.stringMatching(/rule/)]);
    expect(bad({ severity: 'LOW' })).toEqual([expect.stringMatching(/unknown field "severity"/)]);
    expect(lib.validateAllowlist([entry('A_CHECK', 'a.ts'), entry('A_CHECK', 'a.ts')]).problems).toEqual([expect.stringMatching(/repeats/)]);
    expect(lib.validateAllowlist({}).problems).toHaveLength(1);
  });

  it('has a committed allowlist that is well-formed and names files that exist', () => {
    const { entries, problems } = lib.validateAllowlist(JSON.parse(readFileSync(join(root, 'build', 'security-allowlist.json'), 'utf8')));
    expect(problems).toEqual([]);
    for (const { file } of entries) if (file !== lib.WHOLE_APP) expect(existsSync(join(root, file)), file).toBe(true);
  });
});

const apps: string[] = [];
afterAll(() => {
  for (const dir of apps) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway app with the given files (paths relative to its root). */
function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'b24-gate-app-'));
  apps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function runGate(appDir: string, allowlist: unknown[]): { status: number | null; output: string; sarif: string } {
  const allowlistPath = join(appDir, 'allowlist.json');
  const sarifPath = join(appDir, 'out.sarif');
  writeFileSync(allowlistPath, JSON.stringify(allowlist));
  const run = spawnSync(process.execPath, [join(root, 'build', 'security-gate.mjs'), '--root', appDir, '--allowlist', allowlistPath, '--sarif', sarifPath], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, sarif: sarifPath };
}

const PAGE = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" /></head><body><script type="module" src="./a.js"></script></body></html>`;
// The scanner matches `new BrowserWindow(...)` by name; the import is left out so this file does
// not look like one that loads Electron (test/shell/no-real-electron.test.ts).
const INSECURE_WINDOW = `export const window = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
void window.loadURL('https://example.org/');
`;

describe('security gate script, with the real electronegativity', () => {
  it('fails an insecure window, then passes once each finding is justified, and fails again on a stale entry', () => {
    const dir = app({ 'main/window.ts': INSECURE_WINDOW, 'renderer/index.html': PAGE, 'dist/renderer/index.html': PAGE });
    const first = runGate(dir, []);
    expect(first.status, first.output).toBe(1);
    expect(first.output).toMatch(/FAIL\s+HIGH\s+\S+\s+CONTEXT_ISOLATION_JS_CHECK\s+main\/window\.ts/);
    expect(first.output).toMatch(/FAIL\s+MEDIUM\s+\S+\s+SANDBOX_JS_CHECK\s+main\/window\.ts/);
    expect(first.output).toMatch(/FAIL\s+HIGH\s+\S+\s+LIMIT_NAVIGATION_GLOBAL_CHECK\s+\(whole app\)/);

    const blocking = lib.findingsFromSarif(JSON.parse(readFileSync(first.sarif, 'utf8'))).filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
    const justified = [...new Map(blocking.map((f) => [`${f.rule} ${f.file}`, entry(f.rule, f.file)])).values()];
    const second = runGate(dir, justified);
    expect(second.status, second.output).toBe(0);
    expect(second.output).toMatch(/security gate: passed/);

    const third = runGate(dir, [...justified, entry('OPEN_EXTERNAL_JS_CHECK', 'main/window.ts')]);
    expect(third.status, third.output).toBe(1);
    expect(third.output).toMatch(/STALE allowlist entry: OPEN_EXTERNAL_JS_CHECK in main\/window\.ts/);
  });

  it('refuses to pass code the scanner could not read, inline suppressions, or a missing build', () => {
    const unreadable = app({ 'main/window.ts': INSECURE_WINDOW, 'main/bundle.js': 'export class A { #secret = 1; get s() { return this.#secret; } }\n', 'renderer/index.html': PAGE, 'dist/renderer/index.html': PAGE });
    const parse = runGate(unreadable, []);
    expect(parse.status, parse.output).toBe(2);
    expect(parse.output).toMatch(/could not parse, so did not check:\s+main\/bundle\.js/);

    const suppressed = app({ 'main/window.ts': `/* eng-disable CONTEXT_ISOLATION_JS_CHECK */\n${INSECURE_WINDOW}`, 'renderer/index.html': PAGE, 'dist/renderer/index.html': PAGE });
    const inline = runGate(suppressed, []);
    expect(inline.status, inline.output).toBe(2);
    expect(inline.output).toMatch(/eng-disable[\s\S]*main\/window\.ts/);

    const unbuilt = app({ 'main/window.ts': INSECURE_WINDOW, 'renderer/index.html': PAGE });
    const missing = runGate(unbuilt, []);
    expect(missing.status, missing.output).toBe(2);
    expect(missing.output).toMatch(/dist\/renderer\/index\.html is missing: run `npm run build` first/);
  });
});
