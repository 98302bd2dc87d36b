import { describe, expect, it } from 'vitest';
import { Redactor } from '../../main/core/portal/redact';

describe('Redactor', () => {
  it('masks registered secrets, webhook paths and secret parameters', () => {
    const redactor = new Redactor();
    redactor.add('tok_abcdef123456', 'short', undefined);
    const text = redactor.redact(
      'POST https://acme.bitrix24.com/rest/1/unregisteredcode9/im.notify.get failed; auth=tok_abcdef123456&refresh_token=zzz999zzz {"client_secret":"s3cr3t!"}',
    );
    expect(text).not.toContain('unregisteredcode9');
    expect(text).not.toContain('tok_abcdef123456');
    expect(text).not.toContain('zzz999zzz');
    expect(text).not.toContain('s3cr3t!');
    expect(text).toContain('/rest/1/***/im.notify.get');
  });

  it('leaves registered values under 4 characters alone so ordinary words survive', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    expect(redactor.redact('abc is a short message')).toBe('abc is a short message');
  });

  it('masks a secret of 4 characters or more in every form: any case, percent-encoded in whole or in part', () => {
    const redactor = new Redactor();
    redactor.add('k9Qz', 'Abc-123_xyz');
    for (const echo of ['k9Qz', 'K9QZ', 'k9qz', '%6B%39%51%7A', '%6b%39%51%7a', 'k%39Qz', 'ABC-123_XYZ', 'Abc%2D123%5Fxyz', '%41bc-123_xyz']) {
      expect(redactor.redact(`before ${echo} after`), echo).toBe('before *** after');
    }
  });
});
