/**
 * What the window says when something outside one item needs the user: a storage problem (issue
 * 13 §2), and a portal that answered "moved" (issue 13 §1), whose "Use the new address" button
 * must move it for real. Chromium against the preview host and the simulator.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startPortalSim } from '../portal-sim';
import { startPreview, type Preview } from '../harness/preview/server';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { startForwarder } from '../soak/forwarder';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`notices.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);

async function openWindow(preview: Preview): Promise<Page> {
  const context = await suite.browser().newContext({ viewport: { width: 380, height: 560 } });
  suite.cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(preview.url);
  return page;
}

describe.skipIf(!canRun)('notices in the window', () => {
  it('shows a storage notice until the user dismisses it', async () => {
    const preview = await startPreview({ popups: false });
    suite.cleanups.push(() => preview.close());
    const page = await openWindow(preview);
    preview.hub.addNotice('1 unsent answer could not be read and was set aside; 2 other answers will still be sent.');
    const banner = page.getByRole('alert').filter({ hasText: '1 unsent answer could not be read' });
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Got it' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(preview.hub.snapshot().notices).toBeUndefined();
  });

  it('a portal that answered "moved" offers its new address, and one click moves it there', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    // The new address: another loopback host in front of the same portal.
    const elsewhere = await startForwarder(new URL(portal.origin), '127.0.0.2');
    suite.cleanups.push(() => elsewhere.close());
    const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
    suite.cleanups.push(() => preview.close());
    const page = await openWindow(preview);
    portal.injectFault({ kind: 'redirect', status: 301, location: `${elsewhere.origin}/rest/1/${portal.webhookCode}/im.notify.get` });
    preview.hub.pollNow();
    const banner = page.getByRole('alert').filter({ hasText: `moved to ${elsewhere.origin}` });
    await banner.waitFor();
    expect(elsewhere.connections).toBe(0);
    portal.addPersonal({ text: 'Seen through the new address', authorId: 1 });
    await banner.getByRole('button', { name: 'Use the new address' }).click();
    await page.getByText('Seen through the new address').waitFor();
    await banner.waitFor({ state: 'detached' });
    expect(elsewhere.connections).toBeGreaterThan(0);
    expect(preview.portals.list()[0]?.origin).toBe(elsewhere.origin);
  });
});

describe.skipIf(!canRun)('hostile content in the window (issue 13 §4)', () => {
  it('shows at most 10 answer buttons with "and N more", and isolates every portal field from bidi overrides', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    portal.addConfirm({
      title: 'Invoice \u202Efdp.exe',
      text: 'Pay \u202Enow',
      buttons: Array.from({ length: 25 }, (_, index) => ({ title: `Option ${index}`, value: `V${index}`, type: index === 0 ? ('accept' as const) : ('cancel' as const) })),
    });
    const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
    suite.cleanups.push(() => preview.close());
    const page = await openWindow(preview);
    const item = page.locator('article.item').first();
    await item.waitFor();
    await expect(item.getByRole('group').getByRole('button').count()).resolves.toBe(10);
    await item.getByText('and 15 more answers, on the portal').waitFor();
    const isolation = await item.evaluate((article) => {
      const style = (selector: string): string[] => [...article.querySelectorAll(selector)].map((element) => getComputedStyle(element).unicodeBidi);
      return { title: style('h3 bdi'), text: style('p.text'), buttons: style('.buttons button bdi') };
    });
    expect(isolation.title).toEqual(['isolate']);
    expect(isolation.text).toEqual(['isolate']);
    expect(new Set(isolation.buttons)).toEqual(new Set(['isolate']));
  });
});

describe.skipIf(!canRun)('reconnecting from the problem banner (issue 12)', () => {
  it('leads from "rejected" to the portal’s card, where a new webhook URL brings it back with its name', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
    suite.cleanups.push(() => preview.close());
    const page = await openWindow(preview);
    const accountId = preview.portals.list()[0]!.id;
    await preview.portals.update(accountId, { name: 'Office' });
    portal.injectFault({ kind: 'error', code: 'INVALID_CREDENTIALS', description: 'Invalid request credentials', status: 401 }, { times: Infinity });
    preview.hub.pollNow();
    const banner = page.getByRole('alert').filter({ hasText: 'rejected' });
    await banner.getByRole('button', { name: 'Reconnect' }).click();
    await page.getByText('Reconnect', { exact: true }).first().waitFor();
    await page.getByLabel('Reconnect Office').click();
    portal.clearFaults();
    const field = page.getByLabel(/A new inbound webhook URL/);
    await field.fill(portal.webhookUrl);
    await field.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Office is connected again.' }).waitFor();
    expect(await field.inputValue()).toBe('');
    await banner.waitFor({ state: 'detached' });
    expect(preview.portals.list()).toMatchObject([{ id: accountId, name: 'Office' }]);
  });
});
