/**
 * `npm run demo` as the README describes it: the demo script starts two simulated portals and the
 * preview, prints the URL, and the window shows both portals' items, each labelled, with equal ids
 * kept apart. Runs the real script in a child process (the build comes from npm test's build step).
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { spawnGroup } from '../harness/processes';

const ROOT = join(import.meta.dirname, '..', '..');
const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`demo.test.ts skipped: ${blocker}`);

const suite = useChromium(canRun);

/** The demo's lines up to and including the one that starts with `prefix`. */
function linesUntil(stream: Readable, prefix: string, timeoutMs = 15_000): Promise<string[]> {
  stream.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms; got ${JSON.stringify(buffered)}`)), timeoutMs);
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n').map((line) => line.trim());
      if (lines.some((line) => line.startsWith(prefix))) {
        clearTimeout(timer);
        resolve(lines.filter(Boolean));
      }
    });
  });
}

describe.skipIf(!canRun)('npm run demo', () => {
  it('prints two portals and a preview URL, and the window shows both portals’ items, labelled', async () => {
    // No session bus for the child: the demo's popups stay out of the test machine's desktop.
    const demo = spawnGroup(join(ROOT, 'node_modules', '.bin', 'tsx'), ['test/harness/preview/demo.ts'], { cwd: ROOT, env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' } });
    suite.cleanups.push(() => demo.stop());
    const lines = await linesUntil(demo.child.stdout!, 'preview:');
    expect(lines.filter((line) => line.startsWith('portal: http://127.0.0.1:'))).toHaveLength(2);
    const url = lines.find((line) => line.startsWith('preview:'))!.slice('preview:'.length).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#[\w-]+$/);

    const page = await suite.browser().newPage({ viewport: { width: 380, height: 560 }, locale: 'en-US' });
    await page.goto(url);
    await page.getByText('Meeting: contract review, Friday 15:00').waitFor({ timeout: 10_000 });
    await page.getByText('Invitation to join group "Marketing"').waitFor();
    // Each item says which portal it came from.
    await expect(page.getByText('Client portal', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('Our office', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await page.close();
  });
});
