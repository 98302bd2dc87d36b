/**
 * The tray window for real: Debian's Chromium (playwright-core) against the preview host (the real
 * core in Node, the built window, the WebSocket bridge) and the portal simulator.
 * Needs `npm run build` first (npm test does it). Screenshots land in test-results/.
 */
import type { QuietPeriod } from '../../main/core/notifier/do-not-disturb';
import { existsSync, mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startPortalSim } from '../portal-sim';
import { startPreview } from '../harness/preview/server';
import { openWindowPage, refreshUntil } from '../harness/window-page';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { pollUntil } from '../harness/processes';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`window.test.ts skipped: ${blocker}`);

const ARTIFACTS = new URL('../../test-results/', import.meta.url);
const suite = useChromium(canRun);
const cleanups = suite.cleanups;
beforeAll(() => {
  if (canRun) mkdirSync(ARTIFACTS, { recursive: true });
});

const open = (options: Parameters<typeof openWindowPage>[1] = {}) => openWindowPage(suite, options);

describe.skipIf(!canRun)('tray window (Chromium, preview, simulator)', () => {
  it('shows the portal’s items with decoded titles and safe text; hostile markup does nothing', async () => {
    const { portal, preview, page, errors } = await open();
    portal.addConfirm({ title: 'Invitation to join group &quot;Marketing &amp; Sales&quot;', text: 'Join [URL=/workgroups/group/12/]Marketing[/URL]?' });
    portal.addPersonal({
      text: '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> [URL=javascript:window.pwned=3]click me[/URL] [B]bold[/B]',
      authorId: 3,
    });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Needs your answer');
    await expect(page.getByRole('heading', { name: 'Invitation to join group "Marketing & Sales"' }).isVisible()).resolves.toBe(true);
    const link = page.getByRole('link', { name: 'Marketing' });
    await expect(link.getAttribute('href')).resolves.toBe(`${portal.origin}/workgroups/group/12/`);
    // The hostile item is shown as text: no script ran, no image, and the javascript: link is plain text.
    await expect(page.getByText('<script>window.pwned = 1</script>', { exact: false }).count()).resolves.toBe(1);
    await page.getByText('click me').click();
    await expect(page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).resolves.toBeUndefined();
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'click me' }).count()).resolves.toBe(0);
    await expect(page.locator('strong', { hasText: 'bold' }).count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: new URL('window-inbox-light.png', ARTIFACTS).pathname });
  });

  it('Accept sends exactly one im.notify.confirm with the right id and value and shows the portal’s answer', async () => {
    const { portal, preview, page } = await open();
    const invite = portal.addConfirm({ title: 'Meeting at 10', text: 'Join?', tag: 'CALENDAR|INVITE|7|1', resultMessage: 'Invitation accepted' });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Meeting at 10');
    const accept = page.getByRole('button', { name: 'Accept' });
    await accept.click({ timeout: 2_000 });
    await accept.click({ timeout: 500 }).catch(() => undefined); // a second click joins the first, or finds nothing
    await page.getByText('Invitation accepted').waitFor({ timeout: 5_000 });
    expect(portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y', via: 'rest' })]);
    const confirms = portal.requestLog.flatMap((entry) => (entry.batchCommands ?? []).filter((cmd) => cmd.startsWith('im.notify.confirm')));
    expect(confirms).toEqual([`im.notify.confirm?NOTIFY_ID=${invite.id}&NOTIFY_VALUE=Y`]);
  });

  it('during an outage shows that the answer is kept, then delivers it once the portal is back', async () => {
    const { portal, preview, page } = await open();
    const invite = portal.addConfirm({
      title: 'Join the group?',
      text: 'Marketing',
      buttons: [{ title: 'Accept', value: 'Y', type: 'accept' }, { title: 'Decline', value: 'N', type: 'cancel' }],
      tag: 'SOCNET|INVITE_GROUP|1|41',
      resultMessage: 'Welcome to Marketing',
    });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Join the group?');
    portal.injectFault({ kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 }, { restMethod: 'batch', times: Infinity });
    await page.getByRole('button', { name: 'Decline' }).click({ timeout: 2_000 });
    await page.getByText('Your answer is kept and will be sent.').waitFor({ timeout: 10_000 });
    expect(portal.confirmLog).toEqual([]);
    portal.clearFaults();
    preview.hub.pollNow();
    await page.getByText('Welcome to Marketing').waitFor({ timeout: 10_000 });
    expect(portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'N' })]);
  });

  it('marks an item read, marks all read, and dismisses, on the portal too', async () => {
    const { portal, preview, page } = await open();
    const first = portal.addPersonal({ text: 'First note', authorId: 3 });
    const second = portal.addPersonal({ text: 'Second note', authorId: 5 });
    const third = portal.addSystem({ text: 'Third note' });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Third note');
    await page.locator('article', { hasText: 'First note' }).getByRole('button', { name: 'Mark read' }).click();
    await pollUntil(() => portal.get(first.id)?.notify_read === 'Y', 'first read on the portal');
    await page.locator('article', { hasText: 'Second note' }).getByRole('button', { name: /^Dismiss/ }).click();
    await page.getByText('Second note').waitFor({ state: 'detached' });
    await pollUntil(() => portal.get(second.id) === undefined, 'second deleted on the portal');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await pollUntil(() => portal.get(third.id)?.notify_read === 'Y', 'all read on the portal');
    await page.getByRole('button', { name: 'Mark all read' }).waitFor({ state: 'detached' });
  });

  it('tells the engines when the network goes away and comes back', async () => {
    const { portal, preview, page } = await open();
    portal.addSystem({ text: 'Online now' });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Online now');
    const setOnline = (online: boolean): Promise<void> =>
      page.evaluate((value) => {
        Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => value });
        window.dispatchEvent(new Event(value ? 'online' : 'offline'));
      }, online);
    await setOnline(false);
    await pollUntil(() => preview.hub.snapshot().accounts[0]?.state.connection.status === 'offline', 'offline');
    await page.getByRole('alert').getByText('Offline').waitFor();
    const requests = portal.requestLog.length;
    await setOnline(true);
    await pollUntil(() => portal.requestLog.length > requests && preview.hub.snapshot().accounts[0]?.state.connection.status === 'ok', 'a poll on reconnect');
  });

  it('replies to a quick-reply notification from its reply box', async () => {
    const { portal, preview, page } = await open();
    const question = portal.addPersonal({ text: 'Can you review the report?', authorId: 3, quickReply: true });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Can you review the report?');
    await expect(page.locator('form').count()).resolves.toBe(0); // no idle forms in the list
    await page.getByRole('button', { name: 'Reply' }).click();
    await page.keyboard.type('Yes, after lunch');
    await page.keyboard.press('Enter');
    await pollUntil(() => portal.answerLog.length === 1, 'the reply at the portal');
    expect(portal.answerLog).toEqual([expect.objectContaining({ id: question.id, text: 'Yes, after lunch' })]);
    await page.getByRole('status').first().waitFor();
  });

  it('drops a confirm answered in the browser on the next poll', async () => {
    const { portal, preview, page } = await open();
    const invite = portal.addConfirm({ title: 'Answered elsewhere', text: 'x' });
    portal.addSystem({ text: 'Still here' });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Answered elsewhere');
    portal.answerInBrowser(invite.id, 'Y');
    preview.hub.pollNow();
    await page.getByText('Answered elsewhere').waitFor({ state: 'detached', timeout: 5_000 });
    await expect(page.getByText('Still here').isVisible()).resolves.toBe(true);
  });

  it('connect refuses plain http to a remote host and a webhook without im, saying why; keyboard only', async () => {
    const { portal, preview, page } = await open({ webhook: false });
    const noIm = await startPortalSim({ scopes: ['crm', 'user'] });
    cleanups.push(() => noIm.close());
    await page.goto(preview.url);
    await page.getByLabel('Inbound webhook URL').waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('webhook-url');
    await page.keyboard.type('http://acme.bitrix24.com/rest/1/abcdef123/');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('must start with https://').waitFor();
    await page.getByLabel('Inbound webhook URL').fill(noIm.webhookUrl);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('lacks the “im”').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/it has: crm, user/);

    // Now a good one, then answer a confirm without touching the mouse.
    const invite = portal.addConfirm({ title: 'Keyboard invite', text: 'Join?', tag: 'SOCNET|INVITE_GROUP|1|42', resultMessage: 'Joined by keyboard' });
    await page.getByLabel('Inbound webhook URL').fill(portal.webhookUrl);
    await page.keyboard.press('Enter');
    await page.getByText('Keyboard invite').waitFor({ timeout: 5_000 });
    await page.keyboard.press('Tab'); // focus moves into the inbox: the first button is Accept
    await pollUntil(async () => (await page.evaluate(() => document.activeElement?.textContent)) === 'Accept' || (await page.keyboard.press('Tab'), false), 'focus on Accept', 3_000);
    await page.keyboard.press('Space');
    await page.getByText('Joined by keyboard').waitFor({ timeout: 5_000 });
    expect(portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y' })]);
  });

  it('settings change the poll interval, quiet hours and language, and disconnect a portal after asking', async () => {
    const { portal, preview, page } = await open();
    portal.addSystem({ text: 'Hello' });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Hello');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Check for new notifications').selectOption('60000');
    await pollUntil(() => preview.hub.snapshot().accounts.length === 1 && preview.settings.current.pollIntervalMs === 60_000, 'the interval saved');
    await page.getByLabel('On a schedule').check();
    const weekly = (): QuietPeriod[] => (preview.settings.current.doNotDisturb.mode === 'weekly' ? preview.settings.current.doNotDisturb.periods : []);
    // A new schedule starts as weekday evenings into the next morning, and the weekend all day.
    await pollUntil(() => weekly().length === 2, 'quiet hours saved');
    expect(weekly()).toEqual([
      { days: [1, 2, 3, 4, 5], fromMinute: 19 * 60, toMinute: 8 * 60 + 30 },
      { days: [0, 6], fromMinute: 0, toMinute: 24 * 60 },
    ]);
    // Times in the window's language: 12-hour in English…
    const from = page.getByLabel('Quiet period 1 from');
    expect(await from.locator('option:checked').innerText()).toBe('7:00 PM');
    expect(await page.getByText('Runs into the next morning.').count()).toBe(1);
    await from.selectOption({ label: '9:30 PM' });
    await pollUntil(() => weekly()[0]?.fromMinute === 21 * 60 + 30, 'the start time saved');
    // Fridays off: that night is no longer quiet; the days stay in order.
    await page.getByLabel('Friday (quiet period 1)').uncheck();
    await pollUntil(() => weekly()[0]?.days.join() === '1,2,3,4', 'Friday taken out');
    await page.getByLabel('Quiet period 1 from').scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL('quiet-hours-light.png', ARTIFACTS).pathname });
    await page.getByRole('button', { name: 'Remove period 2' }).click();
    await pollUntil(() => weekly().length === 1, 'the weekend period removed');
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { name: 'Настройки' }).waitFor();
    // …and 24-hour in Russian.
    expect(await page.getByLabel('Тихие часы 1: с').locator('option:checked').innerText()).toBe('21:30');
    expect(await page.getByLabel('Тихие часы 1: до').locator('option:checked').innerText()).toMatch(/^0?8:30$/);
    await page.getByRole('button', { name: `Отключить 127.0.0.1:${new URL(portal.origin).port}` }).click();
    await page.getByRole('alert').getByText('Сохранённые данные входа').waitFor();
    await page.getByRole('button', { name: 'Отключить', exact: true }).click();
    await pollUntil(() => preview.hub.snapshot().accounts.length === 0, 'the portal disconnected');
    expect(preview.settings.current.language).toBe('ru');
  });

  it('connects with an OAuth application: approval in the browser, then the inbox', async () => {
    const portal = await startPortalSim();
    portal.addConfirm({ title: 'Signed in with OAuth', text: 'Join?' });
    // The user's browser: opens the portal's sign-in page and follows its redirect to our loopback.
    const approveInBrowser = async (url: string): Promise<void> => {
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location');
      if (location) await fetch(location);
    };
    const preview = await startPreview({ popups: false, tokenUrl: portal.tokenUrl, openExternal: approveInBrowser });
    const context = await suite.browser().newContext({ viewport: { width: 380, height: 560 }, locale: 'en-US' });
    cleanups.push(async () => {
      await context.close();
      await preview.close();
      await portal.close();
    });
    const page = await context.newPage();
    await page.goto(preview.url);
    await page.getByRole('button', { name: 'Use an OAuth application instead' }).click();
    await page.getByLabel('Portal address').fill(portal.origin);
    await page.getByLabel('Application client ID').fill('local.sim.app');
    await page.getByLabel('Application client secret').fill('sim-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in with OAuth').waitFor({ timeout: 10_000 });
    expect(portal.tokenLog).toEqual([expect.objectContaining({ grantType: 'authorization_code', ok: true })]);
    expect(portal.requestLog.some((entry) => entry.restMethod === 'im.notify.get' && entry.auth === 'oauth')).toBe(true);
  });

  it('speaks Russian when the system does, plurals included', async () => {
    const { portal, preview, page } = await open({ locale: 'ru-RU' });
    portal.addConfirm({ title: 'Приглашение в группу', text: 'Вступить?' });
    for (let i = 0; i < 4; i += 1) portal.addPersonal({ text: `Заметка ${i}`, authorId: 3 });
    await page.goto(preview.url);
    await refreshUntil(preview, page, 'Ждут вашего ответа');
    await expect(page.getByText('Прочитать все').isVisible()).resolves.toBe(true);
    await expect(page.locator('.count').getAttribute('aria-label')).resolves.toBe('5 непрочитанных');
    await expect(page.locator('main').getAttribute('lang')).resolves.toBe('ru');
    await page.screenshot({ path: new URL('window-ru.png', ARTIFACTS).pathname });
  });

  it('keeps screenshots of the inbox in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { portal, preview, page } = await open({ colorScheme });
      portal.addConfirm({ title: 'Meeting: Q3 planning', text: '[USER=3]Maria Ivanova[/USER] invites you to [B]Q3 planning[/B]', authorId: 3 });
      portal.addPersonal({ text: 'Commented on [URL=/tasks/42/]the report[/URL]', authorId: 5, quickReply: true });
      await page.goto(preview.url);
      await refreshUntil(preview, page, 'Meeting: Q3 planning');
      const path = new URL(`window-${colorScheme}.png`, ARTIFACTS).pathname;
      await page.screenshot({ path });
      expect(existsSync(path)).toBe(true);
    }
  });
});
