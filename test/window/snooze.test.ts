/**
 * Snoozing in the window (issue 17), Chromium against the preview host (the real core) and the
 * simulator: the item's Snooze menu, the Snoozed section with the wake time, the counts, "Show
 * now", a chosen time that has passed refused in words; axe on the open menu and the snoozed item;
 * screenshots in test-results/, light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { openWindowPage, refreshUntil } from '../harness/window-page';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`snooze.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');

describe.skipIf(!canRun)('snoozing an item in the window (Chromium)', () => {
  it.each(['light', 'dark'] as const)('snoozes for an hour, shows it under Snoozed with its wake time, and brings it back (%s)', async (colorScheme) => {
    const { page, preview, portal } = await openWindowPage(suite, { colorScheme });
    portal.addConfirm({ title: 'Planning meeting', text: 'Quarter review, Friday 10:00' });
    portal.addPersonal({ text: 'Please look at the draft' });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Quarter review');
    const invite = page.locator('article.item').filter({ hasText: 'Quarter review' });
    const needsAnswer = page.getByRole('heading', { name: 'Needs your answer' });
    await needsAnswer.waitFor();
    const count = page.locator('header .count');
    const countBefore = Number(await count.innerText());

    await invite.getByRole('button', { name: 'Snooze “Planning meeting”' }).click();
    const menu = invite.getByRole('group', { name: 'Snooze' });
    await menu.waitFor();
    const { violations: menuViolations } = await new AxeBuilder({ page }).include('article.item').analyze();
    expect(menuViolations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `snooze-menu-${colorScheme}.png`) });

    // A chosen time that has already passed is refused in words, and nothing is snoozed.
    await menu.getByLabel('Until').fill('2020-01-01T09:00');
    await menu.getByRole('button', { name: 'Snooze until then' }).click();
    await invite.getByRole('alert').filter({ hasText: 'Pick a time that is still to come' }).waitFor();

    await menu.getByRole('button', { name: 'For 1 hour' }).click();
    await page.getByRole('heading', { name: 'Snoozed' }).waitFor();
    await needsAnswer.waitFor({ state: 'detached' });
    const wakeAt = new Date(Date.now() + 3_600_000);
    const expectedTime = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' }).format(wakeAt);
    // Within a minute of now + 1 h (the click and the check straddle a minute at worst).
    const shown = await invite.locator('.snoozed').innerText();
    const aMinuteLater = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' }).format(new Date(wakeAt.getTime() + 60_000));
    expect([`Snoozed until ${expectedTime}`, `Snoozed until ${aMinuteLater}`].some((text) => shown.startsWith(text)), shown).toBe(true);
    await expect.poll(async () => ((await count.count()) === 0 ? 0 : Number(await count.innerText()))).toBe(countBefore - 1);
    const { violations } = await new AxeBuilder({ page }).include('article.item').analyze();
    expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `snoozed-${colorScheme}.png`) });

    await invite.getByRole('button', { name: 'Show now' }).click();
    await needsAnswer.waitFor();
    await page.getByRole('heading', { name: 'Snoozed' }).waitFor({ state: 'detached' });
    expect(await invite.getByRole('button', { name: /Snooze/ }).count()).toBe(1);
  });
});
