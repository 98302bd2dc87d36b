/**
 * Secrets (webhook codes, tokens, client secrets) never reach a message or a log line, in whatever
 * form the portal or a library echoes them. The webhook path shape /rest/<user>/<code>/ is from
 * ../shared/docs/bitrix24-notify-api.md; codes may be as short as 4 characters (portal-url.ts).
 */
import { describe, expect, it } from 'vitest';
import { PortalError } from '../../main/core/portal';
import { Redactor } from '../../main/core/portal/redact';

describe('Redactor', () => {
  it('keeps the shape of a webhook URL and masks only its code, even a code it was never told', () => {
    const redactor = new Redactor();
    expect(redactor.redact('GET https://acme.bitrix24.com/rest/17/x9y8z7w6v5/im.notify.get.json failed')).toBe(
      'GET https://acme.bitrix24.com/rest/17/***/im.notify.get.json failed',
    );
  });

  it('keeps the parameter name and masks the value of a token in a query string or a JSON body', () => {
    const redactor = new Redactor();
    expect(redactor.redact('POST /rest/im.notify.get?auth=a1b2c3&limit=50')).toBe('POST /rest/im.notify.get?auth=***&limit=50');
    expect(redactor.redact('{"refresh_token": "r1r2r3", "scope": "im"}')).toBe('{"refresh_token": "***", "scope": "im"}');
  });

  it('masks a longer secret whole even when a shorter registered secret is part of it, in any order of registration', () => {
    // A rotated token may extend an older one; masking the short one first would leave the tail visible.
    for (const order of [
      ['abcd', 'abcdefgh', 'abcdefghijkl'],
      ['abcdefghijkl', 'abcd', 'abcdefgh'],
      ['abcdefgh', 'abcdefghijkl', 'abcd'],
    ]) {
      const redactor = new Redactor();
      for (const secret of order) redactor.add(secret);
      expect(redactor.redact('token abcdefghijkl then abcdefgh then abcd.'), order.join(',')).toBe('token *** then *** then ***.');
    }
  });

  it('keeps masking longest first as secrets are added over time (token rotation)', () => {
    const redactor = new Redactor();
    redactor.add('tok1');
    expect(redactor.redact('tok1-refreshed')).toBe('***-refreshed');
    redactor.add('tok1-refreshed');
    expect(redactor.redact('now tok1-refreshed')).toBe('now ***');
  });

  it('masks a secret containing characters that have a meaning in patterns, and nothing that merely resembles it', () => {
    const redactor = new Redactor();
    redactor.add('p.a+s(s)*w?o[r]d/x|y^z$\\');
    expect(redactor.redact('proxy password p.a+s(s)*w?o[r]d/x|y^z$\\ rejected')).toBe('proxy password *** rejected');
    // Without escaping, "." would match any character and "+" repeat it.
    expect(redactor.redact('pXaas(s)*w?o[r]d/x|y^z$\\')).toBe('pXaas(s)*w?o[r]d/x|y^z$\\');
    expect(redactor.redact('pas')).toBe('pas');
  });

  it('masks a secret percent-encoded by a library, including a non-ASCII character encoded as several bytes', () => {
    const redactor = new Redactor();
    redactor.add('päss-wörd');
    expect(redactor.redact('user:p%C3%A4ss-w%c3%b6rd@proxy')).toBe('user:***@proxy');
    expect(redactor.redact('user:päss-wörd@proxy')).toBe('user:***@proxy');
    // A partly encoded echo is still the secret; a different word is not.
    expect(redactor.redact('p%C3%A4ss%2Dwörd')).toBe('***');
    expect(redactor.redact('pss-wrd and pass-word')).toBe('pss-wrd and pass-word');
  });

  it('does not mask what only shares the letters of a secret with the percent signs removed', () => {
    const redactor = new Redactor();
    redactor.add('k9Qz');
    // "%6B" is the encoding of "k": "6B9Qz" is not an echo of the secret.
    expect(redactor.redact('6B9Qz and 9Qz')).toBe('6B9Qz and 9Qz');
    expect(redactor.redact('%6B9Qz')).toBe('***');
  });

  it('a message built from a redacted portal description never shows the webhook code', () => {
    // The client redacts the portal's own text before it becomes part of what the user sees.
    const redactor = new Redactor();
    redactor.add('s3cretWebhookCode');
    const description = redactor.redact('Wrong request to /rest/1/s3cretWebhookCode/im.notify.read, code=S3CRETWEBHOOKCODE for user 1');
    const error = new PortalError({ kind: 'invalid-request', code: 'ERROR_ARGUMENT', status: 400, description, delivery: 'not-processed' });
    expect(error.userMessage.toLowerCase()).not.toContain('s3cretwebhookcode');
    expect(error.message.toLowerCase()).not.toContain('s3cretwebhookcode');
    expect(error.userMessage).toBe('The portal refused the request: Wrong request to /rest/1/***/im.notify.read, code=*** for user 1.');
  });
});
