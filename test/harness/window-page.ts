/**
 * One window under test: a simulator, the preview host (the real core in Node, the built window,
 * the WebSocket bridge) and a Chromium page, cleaned up with the suite. Shared by the window suites.
 */
import type { Browser, Page } from 'playwright-core';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startPreview, type Preview } from './preview/server';

export interface WindowPage {
  portal: PortalSim;
  preview: Preview;
  page: Page;
  /** Page errors and dialogs: a test fails on any. */
  errors: string[];
}

export async function openWindowPage(
  suite: { browser(): Browser; cleanups: (() => Promise<void>)[] },
  options: { webhook?: boolean; colorScheme?: 'light' | 'dark'; locale?: string } = {},
): Promise<WindowPage> {
  const portal = await startPortalSim();
  const preview = await startPreview({ ...(options.webhook === false ? {} : { webhook: portal.webhookUrl }), popups: false });
  const context = await suite.browser().newContext({ viewport: { width: 380, height: 560 }, colorScheme: options.colorScheme ?? 'light', locale: options.locale ?? 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  suite.cleanups.push(async () => {
    await context.close();
    await preview.close();
    await portal.close();
  });
  return { portal, preview, page, errors };
}

/** Makes the engines poll now and waits until the window shows `text`. */
export async function refreshUntil(preview: Preview, page: Page, text: string): Promise<void> {
  preview.hub.pollNow();
  await page.getByText(text).first().waitFor({ timeout: 5_000 });
}
