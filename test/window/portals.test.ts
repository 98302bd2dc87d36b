/**
 * Several portals in the tray window for real (Chromium, the preview host, two simulators):
 * managing them in Settings — rename, colour, order, on/off, popups by category, and
 * disconnecting after the window lists the answers that would be lost.
 * Needs `npm run build` first (npm test does it).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startPreview, type Preview } from '../harness/preview/server';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { pollUntil } from '../harness/processes';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`portals.test.ts skipped: ${blocker}`);

const suite = useChromium(canRun);
const cleanups = suite.cleanups;

interface TwoPortals {
  acme: PortalSim;
  beta: PortalSim;
  preview: Preview;
  page: Page;
  errors: string[];
}

async function openTwo(): Promise<TwoPortals> {
  const acme = await startPortalSim();
  const beta = await startPortalSim();
  const preview = await startPreview({
    webhooks: [
      { url: acme.webhookUrl, name: 'Acme' },
      { url: beta.webhookUrl, name: 'Beta' },
    ],
    popups: false,
  });
  const context = await suite.browser().newContext({ viewport: { width: 380, height: 560 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  cleanups.push(async () => {
    await context.close();
    await preview.close();
    await acme.close();
    await beta.close();
  });
  await page.goto(preview.url);
  return { acme, beta, preview, page, errors };
}

const names = (preview: Preview): string[] => preview.hub.snapshot().accounts.map((account) => account.name);

describe.skipIf(!canRun)('several portals in the window', () => {
  it('merges both inboxes with each item labelled by its portal, and filters by portal', async () => {
    const { acme, beta, preview, page, errors } = await openTwo();
    const fromAcme = acme.addPersonal({ text: 'Report from Acme' });
    const fromBeta = beta.addPersonal({ text: 'Report from Beta' });
    expect(fromAcme.id).toBe(fromBeta.id); // ids are only unique per portal
    preview.hub.pollNow();
    await page.getByText('Report from Beta').waitFor();
    await page.getByText('Report from Acme').waitFor();
    const betaItem = page.locator('.item', { hasText: 'Report from Beta' });
    await expect(betaItem.locator('.portal').textContent()).resolves.toBe('Beta');
    const colour = await betaItem.locator('.portal-dot').evaluate((dot) => getComputedStyle(dot).backgroundColor);
    expect(colour).toBe('rgb(235, 87, 87)'); // Beta's colour, the second of the palette

    await page.getByLabel('Show notifications from').selectOption({ label: 'Acme' });
    await page.getByText('Report from Beta').waitFor({ state: 'detached' });
    await expect(page.getByText('Report from Acme').isVisible()).resolves.toBe(true);
    await page.getByLabel('Show notifications from').selectOption({ label: 'All portals' });
    await page.getByText('Report from Beta').waitFor();
    expect(errors).toEqual([]);
  });

  it('renames, recolours, reorders and turns a portal off and on from Settings, by keyboard where it matters', async () => {
    const { preview, page, errors } = await openTwo();
    await page.getByRole('button', { name: 'Settings' }).click();
    const acmeName = page.getByLabel('Name of Acme');
    await acmeName.fill('Acme HQ');
    await acmeName.press('Enter');
    await pollUntil(() => names(preview).includes('Acme HQ'), 'the rename stored and applied');

    await page.getByLabel('Colour of Beta').fill('#123abc');
    await pollUntil(() => preview.hub.snapshot().accounts.find((account) => account.name === 'Beta')?.color === '#123abc', 'the colour applied');

    await page.getByRole('button', { name: 'Move Beta up' }).focus();
    await page.keyboard.press('Enter');
    await pollUntil(() => names(preview).join() === 'Beta,Acme HQ', 'the new order');
    // The window shows the order main stored: Beta first, so it cannot move up any more.
    await page.locator('button[aria-label="Move Beta up"]:disabled').waitFor();
    await page.locator('button[aria-label="Move Acme HQ up"]:not(:disabled)').waitFor();

    await page.getByLabel('Check Acme HQ for notifications').uncheck();
    await pollUntil(() => names(preview).join() === 'Beta', 'Acme off');
    // The inbox says which portal is off (issue 17), not silently one portal fewer.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByText('Turned off, not checked: Acme HQ. Turn on in Settings.').waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Check Acme HQ for notifications').check();
    await pollUntil(() => names(preview).join() === 'Beta,Acme HQ', 'Acme back, in its place');
    const scan = await new AxeBuilder({ page }).analyze();
    expect(scan.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('mutes a category for one portal from the list the portal names', async () => {
    const { acme, preview, page } = await openTwo();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Popups by category for Acme').click();
    const meetings = page.getByLabel('Calendar: Meeting invitations', { exact: true });
    await meetings.waitFor();
    await meetings.uncheck();
    const acmeId = preview.hub.snapshot().accounts[0]!.accountId;
    await pollUntil(() => preview.portals.isMuted(acmeId, 'calendar|invite'), 'the category muted');
    expect(preview.portals.isMuted(preview.hub.snapshot().accounts[1]!.accountId, 'calendar|invite')).toBe(false);
    expect(acme.requestLog.some((entry) => entry.restMethod === 'im.notify.schema.get')).toBe(true);
    // A label that wraps continues under its text, not under the checkbox (a hanging indent).
    const wrapped = await page.evaluate(() => {
      const label = document.querySelector<HTMLLabelElement>('.categories label');
      if (!label) return undefined;
      label.lastChild!.textContent = ' A category name long enough to wrap onto a second line in the window';
      const box = label.querySelector('input')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(label.lastChild!);
      const lines = [...range.getClientRects()].sort((a, b) => a.top - b.top);
      return { lines: new Set(lines.map((rect) => Math.round(rect.top))).size, secondLineLeft: lines.at(-1)!.left, boxRight: box.right };
    });
    expect(wrapped?.lines).toBeGreaterThan(1);
    expect(wrapped!.secondLineLeft).toBeGreaterThanOrEqual(wrapped!.boxRight - 1);
  });

  it('lets a category through quiet time for one portal; a muted category cannot be', async () => {
    const { preview, page } = await openTwo();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Popups by category for Acme').click();
    const through = page.getByLabel('Calendar: Meeting invitations: pop up even in quiet time');
    await through.check();
    const [acmeId, betaId] = preview.hub.snapshot().accounts.map((account) => account.accountId) as [string, string];
    await pollUntil(() => preview.portals.breaksThrough(acmeId, 'calendar|invite'), 'the category let through');
    expect(preview.portals.breaksThrough(betaId, 'calendar|invite')).toBe(false);
    await page.getByLabel('Calendar: Meeting invitations', { exact: true }).uncheck();
    await pollUntil(() => preview.portals.isMuted(acmeId, 'calendar|invite'), 'the category muted');
    expect(await through.isDisabled()).toBe(true);
  });

  it('lists the answers still on their way before disconnecting a portal, then removes only that one', async () => {
    const { acme, beta, preview, page } = await openTwo();
    const invite = acme.addConfirm({ title: 'Join Sales?', text: 'Acme invitation' });
    preview.hub.pollNow();
    await page.getByRole('heading', { name: 'Join Sales?' }).waitFor();
    acme.injectFault({ kind: 'drop' }, { times: Infinity });
    await page.getByRole('button', { name: 'Accept' }).click();
    const acmeId = preview.hub.snapshot().accounts[0]!.accountId;
    await pollUntil(() => preview.hub.pendingActions(acmeId).length === 1, 'the answer waiting in the outbox');
    expect(preview.hub.pendingActions(acmeId)[0]).toMatchObject({ notificationId: invite.id, kind: 'confirm' });

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Disconnect Acme' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('1 answer has not reached the portal yet and will be lost:').waitFor();
    await expect(alert.getByRole('listitem').first().textContent()).resolves.toContain('Join Sales? — Accept');
    await alert.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await pollUntil(() => names(preview).join() === 'Beta', 'Acme removed');
    expect(acme.confirmLog).toEqual([]);
    expect(beta.requestLog.length).toBeGreaterThan(0);
  });
});
