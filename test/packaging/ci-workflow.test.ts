/**
 * The hosted CI workflow is checked offline against GitHub's workflow schema (SchemaStore's, as
 * embedded in the @action-validator/core registry package), so a broken workflow fails here, not
 * on the first push. Also checks that it runs what the README promises.
 */
import { readFileSync } from 'node:fs';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';

const WORKFLOW = new URL('../../.github/workflows/ci.yml', import.meta.url);
const source = readFileSync(WORKFLOW, 'utf8');

describe('.github/workflows/ci.yml', () => {
  it('is a valid GitHub workflow', () => {
    expect(validateWorkflow(source).errors).toEqual([]);
  });

  it('fails validation once broken (the check is not a rubber stamp)', () => {
    expect(validateWorkflow(source.replace(/^ {4}runs-on: .*$/m, '    runs-on: 42\n    steps: oops')).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(source.replace('on:\n', 'onn:\n')).errors.length).toBeGreaterThan(0);
  });

  it('runs npm ci and npm test on Linux, Windows and macOS, and packages tagged builds', () => {
    expect(source).toMatch(/os: \[ubuntu-latest, windows-latest, macos-latest\]/);
    expect(source).toContain('- run: npm ci --no-audit --no-fund');
    expect(source).toContain('- run: npm test');
    expect(source).toContain("if: startsWith(github.ref, 'refs/tags/v')");
    expect(source).toContain('- run: npm run dist');
    expect(source).toContain('xvfb-run -a npm run test:electron');
  });
});
