/**
 * axe-core on every screen of the window (connect form with a refusal, inbox, problem banner), in
 * light and dark: no serious or critical violation. One test per colour scheme, in a file of its
 * own, so the slowest suite of the run (axe is thorough) runs beside the others, not after them.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { openWindowPage, refreshUntil } from '../harness/window-page';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`accessibility.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);

async function seriousOnes(page: Page, screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${screen}: ${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

describe.skipIf(!canRun)('accessibility of the window (axe, Chromium)', () => {
  it.each(['light', 'dark'] as const)('has no serious or critical violations on any screen, %s', async (colorScheme) => {
    const found: string[] = [];
    const connect = await openWindowPage(suite, { webhook: false, colorScheme });
    await connect.page.goto(connect.preview.url);
    await connect.page.getByLabel('Inbound webhook URL').fill('http://acme.bitrix24.com/rest/1/abcdef123/');
    await connect.page.keyboard.press('Enter');
    await connect.page.getByRole('alert').waitFor();
    found.push(...(await seriousOnes(connect.page, `connect/${colorScheme}`)));

    const inbox = await openWindowPage(suite, { colorScheme });
    inbox.portal.addConfirm({ title: 'Meeting', text: 'Join [URL=/x/]the meeting[/URL]?' });
    inbox.portal.addPersonal({ text: 'Please review', authorId: 3, quickReply: true });
    inbox.portal.addSystem({ text: 'Backup done' });
    await inbox.page.goto(inbox.preview.url);
    await refreshUntil(inbox.preview, inbox.page, 'Backup done');
    found.push(...(await seriousOnes(inbox.page, `inbox/${colorScheme}`)));
    inbox.portal.setScopes(['user']);
    inbox.preview.hub.pollNow();
    await inbox.page.getByRole('alert').first().waitFor();
    found.push(...(await seriousOnes(inbox.page, `problem/${colorScheme}`)));
    expect(found).toEqual([]);
  });
});
