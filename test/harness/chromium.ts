/**
 * Debian's Chromium driven by playwright-core, as every window test and the window benchmark use
 * it: no browser download, and the flags without which this machine's closed network makes
 * Chromium stall on background connections.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; B24_CHROMIUM_PATH names another Chromium-based browser (hosted CI: Chrome). */
export const CHROMIUM_PATH = process.env.B24_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BUILT_WINDOW = fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url));

/** Why window tests cannot run here, or undefined when they can (Chromium installed, window built). */
export function windowTestsBlocker(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `no ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (!existsSync(BUILT_WINDOW)) return 'run `npm run build` first';
  return undefined;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
