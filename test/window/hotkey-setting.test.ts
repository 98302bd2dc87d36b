/**
 * Choosing the global shortcut in Settings (issue 17), Chromium against the preview host (the real
 * core): the field records the combination pressed (by key position), shows it as this system
 * writes it, says in words why one is refused (the desktop's own), lets Tab through, and turns off.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEY } from '../../main/core/app/hotkey';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { openWindowPage } from '../harness/window-page';
import { pollUntil } from '../harness/processes';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`hotkey-setting.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');

describe.skipIf(!canRun)('the global shortcut in Settings (Chromium)', () => {
  it('records a pressed combination, refuses the desktop’s own in words, lets Tab through, turns off', async () => {
    const { page, preview } = await openWindowPage(suite);
    await page.goto(preview.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const field = page.getByLabel('Open or close the window with');
    expect(await field.inputValue()).toBe('Ctrl+Alt+B');
    expect(preview.settings.current.hotkey).toBe(DEFAULT_HOTKEY);

    await field.focus();
    await page.keyboard.press('Control+Alt+KeyK');
    await pollUntil(() => preview.settings.current.hotkey === 'CommandOrControl+Alt+K', 'the new shortcut saved');
    await expect.poll(() => field.inputValue()).toBe('Ctrl+Alt+K');

    await page.keyboard.press('Control+Alt+KeyT');
    await page.getByRole('alert').filter({ hasText: 'opening a terminal' }).waitFor();
    expect(preview.settings.current.hotkey).toBe('CommandOrControl+Alt+K');

    // Tab leaves the field: the keyboard is not trapped.
    await page.keyboard.press('Tab');
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(false);

    await page.getByRole('button', { name: 'Turn off' }).click();
    await pollUntil(() => preview.settings.current.hotkey === '', 'the shortcut off');
    await expect.poll(() => field.inputValue()).toBe('');
  });

  it.each(['light', 'dark'] as const)('Settings with quiet hours by weekday and the shortcut: no serious axe violations, screenshot (%s)', async (colorScheme) => {
    const { page, preview } = await openWindowPage(suite, { colorScheme });
    await page.goto(preview.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('On a schedule').check();
    await page.getByLabel('Quiet period 1 from').waitFor();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.getByLabel('Open or close the window with').scrollIntoViewIfNeeded();
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `settings-attention-${colorScheme}.png`), fullPage: true });
  });
});
