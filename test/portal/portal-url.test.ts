import { describe, expect, it } from 'vitest';
import { PortalUrlError, isLoopbackHost, parsePortalInput, webhookBaseUrl } from '../../main/core/portal';

const CODE = 'k3j2h1g9f8d7s6a5';

describe('parsePortalInput', () => {
  it.each([
    [`https://acme.bitrix24.com/rest/7/${CODE}/`],
    [`https://acme.bitrix24.com/rest/7/${CODE}`],
    [`https://acme.bitrix24.com/rest/7/${CODE}/profile.json`],
    [`https://acme.bitrix24.com/rest/7/${CODE}/im.notify.get.json?x=1#top`],
    [`  https://ACME.Bitrix24.com:443/rest/7/${CODE}/  `],
    [`acme.bitrix24.com/rest/7/${CODE}/`],
  ])('normalises the webhook %s', (input) => {
    expect(parsePortalInput(input)).toEqual({ kind: 'webhook', origin: 'https://acme.bitrix24.com', userId: 7, code: CODE });
  });

  it('keeps a non-default port and builds the base URL back', () => {
    const endpoint = parsePortalInput(`https://b24.example.org:8443/rest/1/${CODE}/`);
    expect(endpoint).toMatchObject({ origin: 'https://b24.example.org:8443' });
    if (endpoint.kind !== 'webhook') throw new Error('expected a webhook');
    expect(webhookBaseUrl(endpoint)).toBe(`https://b24.example.org:8443/rest/1/${CODE}/`);
  });

  it('accepts a bare portal address for OAuth', () => {
    expect(parsePortalInput('https://acme.bitrix24.de/')).toEqual({ kind: 'portal', origin: 'https://acme.bitrix24.de' });
  });

  it('allows plain http only for loopback hosts', () => {
    expect(parsePortalInput(`http://127.0.0.1:8080/rest/1/${CODE}/`)).toMatchObject({ origin: 'http://127.0.0.1:8080' });
    expect(parsePortalInput(`http://localhost:8080/rest/1/${CODE}/`)).toMatchObject({ origin: 'http://localhost:8080' });
    expect(parsePortalInput(`http://[::1]:8080/rest/1/${CODE}/`)).toMatchObject({ origin: 'http://[::1]:8080' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [`http://acme.bitrix24.com/rest/1/${CODE}/`, 'https-required'],
    [`http://10.0.0.5/rest/1/${CODE}/`, 'https-required'],
    [`ftp://acme.bitrix24.com/rest/1/${CODE}/`, 'not-a-url'],
    [`javascript:alert(1)//acme.bitrix24.com/rest/1/${CODE}/`, 'not-a-url'],
    ['https://', 'not-a-url'],
    [`https://user:pass@acme.bitrix24.com/rest/1/${CODE}/`, 'credentials-in-url'],
    ['https://acme.bitrix24.com/crm/deal/', 'bad-webhook-path'],
    ['https://acme.bitrix24.com/rest/abc/x/', 'bad-webhook-path'],
    ['https://acme.bitrix24.com/rest/0/abcdefg/', 'bad-webhook-path'],
    ['https://acme.bitrix24.com/rest/1/', 'bad-webhook-path'],
  ])('rejects %j as %s, without echoing the input', (input, problem) => {
    let caught: unknown;
    try {
      parsePortalInput(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PortalUrlError);
    expect((caught as PortalUrlError).problem).toBe(problem);
    expect((caught as PortalUrlError).message).not.toContain(CODE);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'app.localhost', '::1', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['128.0.0.1', '127.0.0.256', '10.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io', '::2'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
