/**
 * What `npm test` does on a machine that lacks a system tool (issue 14): fails with the exact
 * install command, unless B24_SKIP_SYSTEM_TESTS=1, which skips loudly; never skips under CI=true.
 */
import { describe, expect, it } from 'vitest';
import { checkPrerequisites, PREREQUISITES, type Prerequisite } from '../harness/prerequisites';

const present: Prerequisite = { purpose: 'a tool that is here', packages: ['here'], present: () => true };
const noDunst: Prerequisite = { purpose: 'a real notification server', packages: ['dunst', 'xvfb'], present: () => false };
const noChromium: Prerequisite = { purpose: 'the window in a browser', packages: ['chromium'], present: () => false };

describe('system prerequisites', () => {
  it('passes silently when everything is there', () => {
    expect(checkPrerequisites({}, [present])).toEqual({ missing: [], message: '', fatal: false });
  });

  it('fails naming each missing tool and the one command that installs them all', () => {
    const verdict = checkPrerequisites({}, [present, noDunst, noChromium]);
    expect(verdict.fatal).toBe(true);
    expect(verdict.message).toContain('a real notification server: needs dunst, xvfb');
    expect(verdict.message).toContain('sudo apt-get install -y --no-install-recommends dunst xvfb chromium');
    expect(verdict.message).toContain('B24_SKIP_SYSTEM_TESTS=1');
  });

  it('skips loudly when asked, and never under CI=true', () => {
    const skipped = checkPrerequisites({ B24_SKIP_SYSTEM_TESTS: '1' }, [noChromium]);
    expect(skipped.fatal).toBe(false);
    expect(skipped.message).toMatch(/^!!! B24_SKIP_SYSTEM_TESTS=1: these suites DID NOT RUN/);
    const ci = checkPrerequisites({ B24_SKIP_SYSTEM_TESTS: '1', CI: 'true' }, [noChromium]);
    expect(ci.fatal).toBe(true);
    expect(ci.message).toMatch(/CI=true.*nothing may be skipped/);
  });

  it('on Windows and macOS, says which Linux-only suites do not run instead of failing', () => {
    const linuxOnly: Prerequisite = { ...noDunst, linuxOnly: true };
    const verdict = checkPrerequisites({ CI: 'true' }, [present, linuxOnly], 'win32');
    expect(verdict.fatal).toBe(false);
    expect(verdict.message).toBe('Linux-only suites not run on win32: a real notification server.');
    expect(checkPrerequisites({ CI: 'true' }, [present, linuxOnly], 'linux').fatal).toBe(true);
  });

  it('knows every Debian package .ci/run installs, and this machine has them', async () => {
    const { readFile } = await import('node:fs/promises');
    const ciRun = await readFile(new URL('../../.ci/run', import.meta.url), 'utf8');
    for (const pkg of PREREQUISITES.flatMap((prerequisite) => prerequisite.packages)) expect(ciRun).toContain(pkg);
    expect(checkPrerequisites({}).missing.map((prerequisite) => prerequisite.purpose)).toEqual([]);
  });
});
