/**
 * The sign-in (OAuth) form as a new user meets it (issue 12): it shows the exact handler URL to
 * register, speaks of the portal's address (never of webhooks) when what was typed is wrong, opens
 * no browser tab for an address that is not a Bitrix24 portal, lets the user cancel a sign-in the
 * portal never answers, and signs a connected portal in again from its card in Settings.
 * Chromium against the preview host and the simulator; the "browser" is played by the test.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startPreview } from '../harness/preview/server';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`oauth-sign-in.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);

/** The user's browser: records each sign-in page; approves (follows the redirect) while `approve` holds. */
function playedBrowser(): { opened: string[]; approve: boolean; open: (url: string) => Promise<void> } {
  const browser = {
    opened: [] as string[],
    approve: false,
    async open(url: string): Promise<void> {
      browser.opened.push(url);
      if (!browser.approve) return;
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location');
      if (location) await fetch(location);
    },
  };
  return browser;
}

async function openForm(portal: PortalSim, browser: ReturnType<typeof playedBrowser>) {
  const preview = await startPreview({ popups: false, tokenUrl: portal.tokenUrl, openExternal: (url) => browser.open(url) });
  suite.cleanups.push(() => preview.close());
  const context = await suite.browser().newContext({ viewport: { width: 380, height: 640 }, locale: 'en-US' });
  suite.cleanups.push(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  await page.goto(preview.url);
  await page.getByRole('button', { name: 'Use an OAuth application instead' }).click();
  return page;
}

describe.skipIf(!canRun)('signing in with an OAuth application', () => {
  it('shows the handler URL, words refusals for this form, opens no tab for a non-portal, and cancels a wait that never ends', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    const browser = playedBrowser();
    const page = await openForm(portal, browser);
    expect(await page.getByLabel('Handler URL').inputValue()).toBe('http://127.0.0.1:47651/callback');

    await page.getByLabel('Application client ID').fill('local.sim.app');
    await page.getByLabel('Application client secret').fill('sim-secret');
    await page.getByLabel('Portal address').fill('garbage');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/not a web address.*portal’s address/);
    expect(await alert.innerText()).not.toMatch(/webhook/i);

    const site = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    suite.cleanups.push(() => new Promise((resolve) => site.close(() => resolve())));
    await page.getByLabel('Portal address').fill(`http://127.0.0.1:${(site.address() as AddressInfo).port}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await alert.filter({ hasText: 'does not answer as a Bitrix24 portal' }).waitFor();
    expect(browser.opened).toEqual([]);

    // The portal refuses on its own page and never calls back: the wait is the user's to end.
    portal.setSignInRefused(true);
    await page.getByLabel('Portal address').fill(portal.origin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Waiting for approval in the browser…' }).waitFor();
    expect(browser.opened).toHaveLength(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await alert.filter({ hasText: 'Sign-in cancelled.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    expect(portal.tokenLog).toEqual([]);
  });

  it('signs a connected portal in again from its card in Settings, keeping it', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    portal.addPersonal({ text: 'Kept across the new sign-in', authorId: 3 });
    const browser = playedBrowser();
    browser.approve = true;
    const page = await openForm(portal, browser);
    await page.getByLabel('Portal address').fill(portal.origin);
    await page.getByLabel('Application client ID').fill('local.sim.app');
    await page.getByLabel('Application client secret').fill('sim-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Kept across the new sign-in').waitFor();

    // The refresh token is gone (revoked on the portal): signing in again is the way back.
    portal.revokeRefreshTokens();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByText('Reconnect').first().click();
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('status').filter({ hasText: 'connected again' }).waitFor();
    expect(portal.tokenLog.filter((entry) => entry.grantType === 'authorization_code' && entry.ok)).toHaveLength(2);
    expect(browser.opened).toHaveLength(2);
  });

  it('the webhook form offers unencrypted HTTP only for an http:// address, with its warning, off by default', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    const preview = await startPreview({ popups: false });
    suite.cleanups.push(() => preview.close());
    const context = await suite.browser().newContext({ viewport: { width: 380, height: 640 }, locale: 'en-US' });
    suite.cleanups.push(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(preview.url);
    const field = page.getByLabel('Inbound webhook URL');
    const allow = page.getByLabel('Allow unencrypted HTTP for this portal');
    await field.fill('https://box.example.com/rest/1/abcdef123/');
    expect(await allow.count()).toBe(0);
    await field.fill('http://box.example.com/rest/1/abcdef123/');
    expect(await allow.isChecked()).toBe(false);
    expect(await page.getByText('travels in clear').first().isVisible()).toBe(true);
    // Unticked, a remote http:// address is refused as before.
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').filter({ hasText: 'https://' }).waitFor();
  });
});
