/**
 * What may be handed to the OS with shell.openExternal: https pages only, no credentials, and on
 * a portal's host unless the user clicked the link.
 */
import { describe, expect, it, vi } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { connectOAuth } from '../../main/core/app/connect-oauth';
import { NotificationHub } from '../../main/core/app/hub';
import { ExternalLinkRefused, guardedOpenExternal, isSafeExternalUrl, safeExternalUrl } from '../../main/core/security/external-links';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { startPortalSim } from '../portal-sim';

const portal = { portalHosts: ['acme.bitrix24.com'] };
const clicked = { userClicked: true };

describe('isSafeExternalUrl', () => {
  it('accepts https pages on the portal, and any https page the user clicked', () => {
    expect(isSafeExternalUrl('https://acme.bitrix24.com/company/personal/user/7/', portal)).toBe(true);
    expect(isSafeExternalUrl('https://acme.bitrix24.com:443/oauth/authorize/?client_id=x', portal)).toBe(true);
    expect(isSafeExternalUrl('https://example.org/docs?q=1#top', clicked)).toBe(true);
    // Not clicked and not the portal: refused, whatever the scheme.
    expect(isSafeExternalUrl('https://example.org/', portal)).toBe(false);
    expect(isSafeExternalUrl('https://example.org/')).toBe(false);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: with a comment that looks like a URL', 'javascript://acme.bitrix24.com/%0aalert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['file: on Windows', 'file:///C:/Windows/System32/calc.exe'],
    ['UNC path', '\\\\evil.example\\share\\run.exe'],
    ['smb:', 'smb://evil.example/share/run.exe'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', 'blob:https://acme.bitrix24.com/1b2c'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic /skip force'],
    ['plain http', 'http://acme.bitrix24.com/'],
    ['ftp:', 'ftp://acme.bitrix24.com/'],
    ['mailto:', 'mailto:boss@acme.example'],
    ['protocol-relative', '//acme.bitrix24.com/'],
    ['relative path', '/company/'],
    ['user and password', 'https://user:pass@acme.bitrix24.com/'],
    ['portal name as the user, attacker as the host', 'https://acme.bitrix24.com@evil.example/'],
    ['empty password', 'https://acme.bitrix24.com:@evil.example/'],
    ['uppercase JAVASCRIPT:', 'JAVASCRIPT:alert(1)'],
    ['mixed-case FiLe:', 'FiLe:///etc/passwd'],
    ['leading space', ' https://acme.bitrix24.com/'],
    ['leading newline before javascript:', '\njavascript:alert(1)'],
    ['leading NUL', '\u0000https://acme.bitrix24.com/'],
    ['tab inside the scheme', 'java\tscript:alert(1)'],
    ['newline inside the scheme', 'htt\nps://acme.bitrix24.com/'],
    ['trailing space', 'https://acme.bitrix24.com/ '],
    ['non-breaking space', '\u00a0https://acme.bitrix24.com/'],
    ['zero-width space in the host', 'https://acme\u200b.bitrix24.com/'],
    ['empty', ''],
    ['garbage', 'not a url'],
  ])('refuses %s even when clicked', (_what, url) => {
    expect(safeExternalUrl(url, { ...portal, ...clicked })).toBeUndefined();
  });

  it('refuses what is not a string, and absurdly long links', () => {
    for (const value of [undefined, null, 42, {}, ['https://acme.bitrix24.com/'], new URL('https://acme.bitrix24.com/')]) {
      expect(isSafeExternalUrl(value, clicked)).toBe(false);
    }
    expect(isSafeExternalUrl(`https://acme.bitrix24.com/${'a'.repeat(10_000)}`, clicked)).toBe(false);
  });

  it('treats look-alike hosts as other hosts (IDN homographs, suffixes, encodings)', () => {
    for (const url of [
      'https://аcme.bitrix24.com/', // Cyrillic а
      'https://acme.bitrix24.com.evil.example/',
      'https://acme-bitrix24.com/',
      'https://evil.example\\@acme.bitrix24.com/', // a backslash is a slash in http(s) URLs
      'https://acme.bitrix24.com%2eevil.example/',
      'https://acme.bitrix24.com:8443/', // another port is another origin
    ]) {
      expect(isSafeExternalUrl(url, portal), url).toBe(false);
    }
    // Only the IDNA mapping's own spelling of the same host counts as the portal.
    expect(safeExternalUrl('https://ACME.Bitrix24.COM/x', portal)).toBe('https://acme.bitrix24.com/x');
    expect(safeExternalUrl('https://acme\u3002bitrix24\u3002com/', portal)).toBe('https://acme.bitrix24.com/');
  });

  it('returns the normalised URL, so what is opened is exactly what was checked', () => {
    expect(safeExternalUrl('HTTPS://Example.ORG/a%20b?x=<y>"', clicked)).toBe('https://example.org/a%20b?x=%3Cy%3E%22');
    expect(safeExternalUrl('https://пример.рф/путь', clicked)).toBe('https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C');
  });

  it('knows portals given as origins or as typed, and allows plain http only for a portal on this computer', () => {
    expect(isSafeExternalUrl('https://acme.bitrix24.com/x', { portalHosts: ['https://acme.bitrix24.com'] })).toBe(true);
    expect(isSafeExternalUrl('https://acme.bitrix24.com/x', { portalHosts: ['acme.bitrix24.com/'] })).toBe(true);
    expect(isSafeExternalUrl('http://127.0.0.1:4100/oauth/authorize/', { portalHosts: ['http://127.0.0.1:4100'] })).toBe(true);
    // Loopback, but not the portal (a local admin page, say): refused, clicked or not.
    expect(isSafeExternalUrl('http://127.0.0.1:631/admin', { portalHosts: ['http://127.0.0.1:4100'], userClicked: true })).toBe(false);
    // A remote portal never makes plain http acceptable.
    expect(isSafeExternalUrl('http://acme.bitrix24.com/', { portalHosts: ['acme.bitrix24.com'], userClicked: true })).toBe(false);
    // Junk in the portal list is ignored, not trusted.
    expect(isSafeExternalUrl('https://evil.example/', { portalHosts: ['', 'javascript:alert(1)', 'https://u:p@evil.example'] })).toBe(false);
  });
});

describe('guardedOpenExternal', () => {
  it('opens the normalised URL of an allowed link and refuses the rest before the opener sees them', async () => {
    const open = vi.fn(async (_url: string) => undefined);
    const guarded = guardedOpenExternal(open, { portalHosts: ['acme.bitrix24.com'] });
    await guarded('https://ACME.bitrix24.com/oauth/authorize/?state=1');
    expect(open).toHaveBeenCalledWith('https://acme.bitrix24.com/oauth/authorize/?state=1');
    for (const url of ['https://evil.example/oauth/authorize/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      await expect(guarded(url)).rejects.toBeInstanceOf(ExternalLinkRefused);
    }
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('guardedOpenExternal around the OAuth sign-in, as the composition root wires it', () => {
  it('lets the portal’s own sign-in page through to the browser', async () => {
    const sim = await startPortalSim();
    const hub = new NotificationHub();
    try {
      const storage = tempStorage().open();
      const accounts = new AccountStore(storage, new ProcessSecretBox());
      const opened: string[] = [];
      // Plays the user's browser: opens the sign-in page and follows the portal's redirect.
      const browser = async (url: string): Promise<void> => {
        opened.push(url);
        const location = (await fetch(url, { redirect: 'manual' })).headers.get('location');
        if (location) await fetch(location);
      };
      const input = { portal: sim.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret' };
      const account = await connectOAuth(input, { ...connectDeps({ accounts, hub, storage }), tokenUrl: sim.tokenUrl, approvalTimeoutMs: 5_000, openExternal: guardedOpenExternal(browser, { portalHosts: [input.portal] }) });
      expect(account.auth).toBe('oauth');
      expect(opened).toEqual([expect.stringMatching(new RegExp(`^${sim.origin}/oauth/authorize/\\?`))]);
    } finally {
      await hub.stopAll();
      await sim.close();
    }
  });
});
