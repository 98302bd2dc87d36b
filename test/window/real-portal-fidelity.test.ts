/**
 * The window against a simulator that behaves as real portals do (issue 12, real-portal-notes §1):
 * the server's own text processing (empty mentions filled in, bare addresses and scheme-less links
 * wrapped), titles the messenger does not escape, avatars on Bitrix24's CDN, deleted authors, the
 * server's own timezone offset, and an old on-premise build (im 21.x) that sends raw HTML.
 * Chromium against the preview host; the CDN is answered by Playwright's router, never the network.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPortalSim, type PortalSimOptions } from '../portal-sim';
import { startPreview } from '../harness/preview/server';
import { windowTestsBlocker } from '../harness/chromium';
import { useChromium } from '../harness/chromium-suite';
import { AVATAR_PNG } from '../portal-sim/users';

const blocker = windowTestsBlocker();
const canRun = blocker === undefined;
if (!canRun) console.log(`real-portal-fidelity.test.ts skipped: ${blocker}`);
const suite = useChromium(canRun);

interface CdnRequest {
  url: string;
  headers: Record<string, string>;
}

async function openWindow(options: PortalSimOptions, fill: (portal: Awaited<ReturnType<typeof startPortalSim>>) => void) {
  const portal = await startPortalSim(options);
  suite.cleanups.push(() => portal.close());
  fill(portal);
  const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
  suite.cleanups.push(() => preview.close());
  const context = await suite.browser().newContext({ viewport: { width: 380, height: 640 } });
  suite.cleanups.push(() => context.close());
  const page = await context.newPage();
  const cdnRequests: CdnRequest[] = [];
  await page.route('https://**/*', async (route) => {
    const request = route.request();
    cdnRequests.push({ url: request.url(), headers: await request.allHeaders() });
    await route.fulfill({ status: 200, contentType: 'image/png', body: AVATAR_PNG });
  });
  page.setDefaultTimeout(5_000);
  await page.goto(preview.url);
  return { portal, page, cdnRequests };
}

function item(page: Page, text: string) {
  return page.locator('article.item').filter({ hasText: text });
}

describe.skipIf(!canRun)('the window against real-portal behaviour', () => {
  it('fills empty mentions, links bare addresses, keeps an unescaped title as text, shows CDN avatars and deleted authors, and reads the server offset', async () => {
    const createdMs = Date.now();
    const { portal, page, cdnRequests } = await openWindow({ avatars: 'cdn', serverUtcOffsetMinutes: -300 }, (sim) => {
      sim.addPersonal({ text: '[USER=5][/USER] shared https://docs.example/plan?a=1&copy=2 and [URL=www.example.org/x]the draft[/URL]', authorId: 3 });
      sim.addConfirm({ title: 'AT&T <b>Q4</b>', moduleEscapesTitle: false, text: 'Approve the deal?', tag: 'CRM|1' });
      sim.addUser({ id: 9, name: 'Former Colleague', avatar: 'https://cdn.com.bitrix24.com/b17053/main/avatar-9.png' });
      sim.addPersonal({ text: 'left a comment on the task', authorId: 9 });
      sim.deleteUser(9);
    });

    // The server filled the empty mention with the full name and wrapped the bare address.
    const shared = item(page, 'shared');
    await shared.waitFor();
    expect(await shared.locator('p.text').innerText()).toBe('Peter Novak shared https://docs.example/plan?a=1&copy=2 and the draft');
    expect(await shared.getByRole('link', { name: 'Peter Novak' }).getAttribute('href')).toBe(`${portal.origin}/company/personal/user/5/`);
    expect(await shared.getByRole('link', { name: 'https://docs.example/plan?a=1&copy=2' }).getAttribute('href')).toBe('https://docs.example/plan?a=1&copy=2');
    // The server prefixed http:// to the scheme-less target: shown, but only https opens.
    expect(await shared.getByRole('link', { name: 'the draft' }).count()).toBe(0);

    // Cloud avatars come from Bitrix24's CDN: loaded, with no cookie and no referrer.
    const avatar = shared.locator('.avatar img');
    expect(await avatar.getAttribute('src')).toMatch(/^https:\/\/cdn\.com\.bitrix24\.com\/b17053\/.*avatar-3\.png$/);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.avatar img')].every((img) => img.complete && img.naturalWidth > 0));
    expect(cdnRequests.length).toBeGreaterThan(0);
    for (const request of cdnRequests) {
      expect(new URL(request.url).host).toBe('cdn.com.bitrix24.com');
      expect(request.headers['cookie']).toBeUndefined();
      expect(request.headers['referer']).toBeUndefined();
    }

    // The messenger does not escape titles: a literal <b> is text, not bold.
    const confirm = item(page, 'Approve the deal?');
    expect(await confirm.locator('h3').innerText()).toBe('AT&T <b>Q4</b>');
    expect(await confirm.locator('h3 b, h3 strong').count()).toBe(0);

    // A deleted author: a neutral label and icon, not "User 9" or a stale photo.
    const orphan = item(page, 'left a comment');
    expect(await orphan.locator('h3').innerText()).toBe('Deleted user');
    expect(await orphan.locator('.avatar svg.deleted-author').count()).toBe(1);
    expect(await orphan.locator('.avatar img').count()).toBe(0);

    // Dates carry the server's offset (-05:00 here): the item is "now", not five hours off.
    const datetime = await shared.locator('time').first().getAttribute('datetime');
    expect(Math.abs(Date.parse(datetime ?? '') - createdMs)).toBeLessThan(5_000);
    expect(portal.notifications()[0]?.date).toMatch(/-05:00$/);
  });

  it('shows an on-premise portal’s avatar as the data: URL main fetched; the CSP lets the page load images only from Bitrix24’s CDN', async () => {
    // The simulator's default colleagues keep their avatars on its own host, as on-premise (/upload/main).
    const { portal, page, cdnRequests } = await openWindow({}, (sim) => {
      sim.addPersonal({ text: 'reviewed your report', authorId: 3 });
    });
    const reviewed = item(page, 'reviewed your report');
    await reviewed.waitFor();
    const avatar = reviewed.locator('.avatar img');
    await avatar.waitFor();
    const src = (await avatar.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    // The simulator's PNG, byte for byte from its /upload/main (the PNG signature first).
    expect(Buffer.from(src.slice(src.indexOf(',') + 1), 'base64').subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.avatar img')].every((img) => img.complete && img.naturalWidth > 0));
    // The page itself asked the portal for nothing.
    expect(cdnRequests.filter((request) => new URL(request.url).origin === portal.origin)).toEqual([]);

    // An image from any other https host is refused by the page's CSP before a request is made.
    const violation = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(`${event.violatedDirective} ${event.blockedURI}`), { once: true });
          const img = document.createElement('img');
          img.src = 'https://tracker.example.com/pixel.png';
          document.body.append(img);
        }),
    );
    expect(violation).toBe('img-src https://tracker.example.com/pixel.png');
    expect(cdnRequests.some((request) => request.url.includes('tracker.example.com'))).toBe(false);
  });

  it('shows an old on-premise build’s raw HTML as text: line breaks kept, links kept, other tags dropped, entities decoded', async () => {
    const { page } = await openWindow({ imLegacyHtml: true }, (sim) => {
      sim.addPersonal({ text: 'Task <a href="https://tasks.example/7/">Report</a> is due<br>tomorrow &amp; <b>later</b> &laquo;ok&raquo;', authorId: 5 });
    });
    const legacy = item(page, 'is due');
    await legacy.waitFor();
    expect(await legacy.locator('p.text').innerText()).toBe('Task Report is due\ntomorrow & later «ok»');
    expect(await legacy.getByRole('link', { name: 'Report' }).getAttribute('href')).toBe('https://tasks.example/7/');
    expect(await legacy.locator('p.text b, p.text strong').count()).toBe(0);
  });
});
