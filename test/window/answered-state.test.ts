/**
 * The window, finished (issue 17): long answer buttons wrap inside the 380 px window, an answered
 * confirm leaves "Needs your answer" at once for a visibly answered state that names the button
 * pressed, and a notice with no author shows its portal's icon instead of odd initials.
 * Chromium against the preview host and the simulator.
 */
import { describe, expect, it } from 'vitest';
import { startPortalSim } from '../portal-sim';
import { startPreview } from '../harness/preview/server';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`answered-state.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);

describe.skipIf(!canRun)('the answered state and long buttons', () => {
  it('wraps long buttons, moves an answered confirm out of "Needs your answer" naming the choice, and shows a portal icon for notices', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    portal.addSystem({ text: 'Your plan renews tomorrow' });
    portal.addConfirm({
      title: 'Приглашение на встречу',
      text: 'Планирование квартала',
      tag: 'CALENDAR|7',
      buttons: [
        { title: 'Принять приглашение', value: 'Y', type: 'accept' },
        { title: 'Отклонить приглашение', value: 'N', type: 'cancel' },
        { title: 'Возможно, присоединюсь позже', value: 'M', type: 'cancel' },
      ],
    });
    const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
    suite.cleanups.push(() => preview.close());
    const context = await suite.browser().newContext({ viewport: { width: 380, height: 600 } });
    suite.cleanups.push(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await page.goto(preview.url);

    const confirm = page.locator('article.item').filter({ hasText: 'Планирование квартала' });
    await confirm.waitFor();
    // Every button is whole inside the window: none runs past the right edge.
    for (const button of await confirm.getByRole('button').all()) {
      const box = await button.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(380);
    }
    const needsAnswer = page.getByRole('heading', { name: 'Needs your answer' });
    expect(await needsAnswer.isVisible()).toBe(true);

    await confirm.getByRole('button', { name: 'Отклонить приглашение' }).click();
    const result = confirm.getByRole('status');
    await result.filter({ hasText: 'You chose' }).waitFor();
    // The portal's own answer already names the button ('You chose "…"'): it is not repeated.
    expect(await result.innerText()).toBe('You chose "Отклонить приглашение"');
    // Answered: out of "Needs your answer" at once, shown among the rest with its result.
    await needsAnswer.waitFor({ state: 'detached' });
    expect(await confirm.getByRole('button', { name: 'Отклонить приглашение' }).count()).toBe(0);

    const notice = page.locator('article.item').filter({ hasText: 'Your plan renews tomorrow' });
    expect(await notice.locator('.avatar svg.portal-icon').count()).toBe(1);
    expect((await notice.locator('.avatar').innerText()).trim()).toBe('');
  });
});
