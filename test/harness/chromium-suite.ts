/**
 * The hooks every window suite repeats, for vitest files only (the window benchmark imports
 * ./chromium without vitest).
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './chromium';

export interface ChromiumSuite {
  /** The suite's browser, launched once before its tests. */
  browser(): Browser;
  /** Run after each test, newest first (contexts, previews, simulators). */
  cleanups: (() => Promise<void>)[];
}

/** Registers a window suite's hooks: one Chromium for the file, each test's cleanups after it. */
export function useChromium(canRun: boolean): ChromiumSuite {
  let browser: Browser | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    if (canRun) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    browser: () => {
      if (!browser) throw new Error('Chromium is not running (the suite should have been skipped)');
      return browser;
    },
    cleanups,
  };
}
