/**
 * Issue 13 §3: `npm run preview` never takes the webhook URL from its arguments (visible to every
 * local user in `ps`), and a bad URL ends in one clear line, no stack trace, no echo of the code.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'test', 'harness', 'preview', 'cli.ts');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, [cli, ...args], { cwd: root, env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '', ...options.env }, input: options.input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run preview and the webhook URL', () => {
  it('refuses a URL on the command line, saying where to put it instead', () => {
    const result = run(['--webhook', 'https://acme.bitrix24.com/rest/1/argvsecret99/']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/B24_WEBHOOK_URL/);
    expect(result.stderr + result.stdout).not.toContain('argvsecret99');
  });

  it.each([
    ['from the environment', { env: { B24_WEBHOOK_URL: 'http://10.9.8.7/rest/1/envsecret99/' } }, []],
    ['from standard input', { input: 'http://10.9.8.7/rest/1/stdinsecret99/\n' }, ['--webhook', '-']],
  ] as const)('a bad URL %s ends in one clear line, without a stack trace or the code', (_how, options, args) => {
    const result = run([...args], options);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^preview: The portal address must start with https:\/\//);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toMatch(/secret99/);
  });
});
