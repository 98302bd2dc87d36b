/**
 * The window shows real portal text as Bitrix's own notification centre does (issue 12): entities
 * decoded once and strictly, the mention linked to the person, the portal's answer after a button
 * as plain text. Chromium against the preview host and the simulator.
 */
import { describe, expect, it } from 'vitest';
import { startPortalSim } from '../portal-sim';
import { startPreview } from '../harness/preview/server';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`real-text.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);

describe.skipIf(!canRun)('real portal text in the window', () => {
  it('shows decoded text, a linked mention and the portal’s answer as plain text; nothing looks like markup or an entity', async () => {
    const portal = await startPortalSim();
    suite.cleanups.push(() => portal.close());
    portal.addPersonal({ text: '[USER=3 REPLACE]Anna[/USER] moved deal &laquo;AT&amp;T &lt;b&gt;Q4&lt;/b&gt;&raquo; &mdash; see https://x.example/?a=1&copy=2', authorId: 3 });
    portal.addConfirm({ title: 'Invitation to group &quot;Marketing&quot;', text: 'Join &quot;Marketing&quot;?', tag: 'GROUP|5', resultMessage: 'You joined <b>&quot;Marketing&quot;</b>.<br>Welcome!' });
    const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
    suite.cleanups.push(() => preview.close());
    const context = await suite.browser().newContext({ viewport: { width: 380, height: 560 } });
    suite.cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(preview.url);
    const personal = page.locator('article.item').filter({ hasText: 'moved deal' });
    await personal.waitFor();
    expect(await personal.locator('p.text').innerText()).toBe('Anna moved deal «AT&T <b>Q4</b>» — see https://x.example/?a=1&copy=2');
    expect(await personal.getByRole('link', { name: 'Anna' }).getAttribute('href')).toBe(`${portal.origin}/company/personal/user/3/`);
    // A literal <b> is text: no bold element came from the portal.
    expect(await personal.locator('p.text strong, p.text b').count()).toBe(0);

    const confirm = page.locator('article.item').filter({ hasText: 'Invitation to group' });
    expect(await confirm.locator('h3').innerText()).toBe('Invitation to group "Marketing"');
    await confirm.getByRole('button', { name: 'Accept' }).click();
    const result = confirm.getByRole('status');
    await result.filter({ hasText: 'Welcome!' }).waitFor();
    // The button pressed is named next to the portal's answer (issue 17).
    expect(await result.innerText()).toBe('You chose “Accept”. You joined "Marketing".\nWelcome!');
    const html = await page.content();
    expect(html).not.toMatch(/&amp;(quot|laquo|raquo|mdash|#039);/);
  });
});
