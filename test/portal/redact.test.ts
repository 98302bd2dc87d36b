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

  it('leaves short registered values alone so ordinary words survive', () => {
    const redactor = new Redactor();
    redactor.add('short');
    expect(redactor.redact('a short message')).toBe('a short message');
  });
});
