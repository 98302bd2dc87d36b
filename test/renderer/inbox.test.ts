import { describe, expect, it } from 'vitest';
import { badgeText } from '../../main/core/tray/tray-view';
import { initials, mergeInbox, readableTextOn, relativeTime, safeAvatar } from '../../renderer/src/lib/inbox';

function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, b2] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('window helpers', () => {
  it('picks initials text that stays readable on any colour', () => {
    for (let i = 0; i < 500; i += 1) {
      const colour = `#${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
      const text = readableTextOn(colour) === '#fff' ? '#ffffff' : '#000000';
      expect(contrast(colour, text)).toBeGreaterThanOrEqual(4.5);
    }
    expect(readableTextOn('not a colour')).toBe('#fff');
  });

  it('shows a portal-host avatar only as the data: URL main fetched for it (the CSP allows no other host), a CDN one directly', () => {
    const fetched = { 'https://acme.bitrix24.com/upload/a.png': 'data:image/png;base64,iVBORw0KGgo=' };
    expect(safeAvatar('https://acme.bitrix24.com/upload/a.png', 'https://acme.bitrix24.com', fetched)).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(safeAvatar('/upload/a.png', 'https://acme.bitrix24.com', fetched)).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(safeAvatar('https://acme.bitrix24.com/upload/a.png', 'https://acme.bitrix24.com')).toBeUndefined(); // not fetched (yet)
    expect(safeAvatar('https://cdn.com.bitrix24.com/b1/resize_cache/a.png', 'https://acme.bitrix24.com')).toBe('https://cdn.com.bitrix24.com/b1/resize_cache/a.png');
    expect(safeAvatar('https://tracker.example.com/a.png', 'https://acme.bitrix24.com')).toBeUndefined();
    expect(safeAvatar('http://acme.bitrix24.com/a.png', 'https://acme.bitrix24.com')).toBeUndefined();
    expect(safeAvatar('javascript:alert(1)', 'https://acme.bitrix24.com')).toBeUndefined();
  });

  it('formats counts, initials and relative times', () => {
    expect([badgeText(5), badgeText(99), badgeText(100)]).toEqual(['5', '99', '99+']);
    expect(initials('maria ivanova petrova')).toBe('MI');
    expect(relativeTime(Date.UTC(2026, 2, 3, 9, 0), Date.UTC(2026, 2, 3, 9, 5), 'en')).toBe('5 minutes ago');
    expect(relativeTime(Date.UTC(2026, 2, 1, 9, 0), Date.UTC(2026, 2, 3, 9, 0), 'ru')).toBe('позавчера');
  });
});

describe('mergeInbox', () => {
  it('orders all portals as each inbox is ordered: confirms first, then newest first', () => {
    const item = (id: number, kind: 'confirm' | 'system', dateMs: number) => ({ id, kind, dateMs }) as never;
    const account = (accountId: string, inbox: unknown[]) =>
      ({ accountId, name: accountId, state: { portalOrigin: `https://${accountId}.bitrix24.com`, inbox } }) as never;
    const merged = mergeInbox({
      unreadCount: 0,
      accounts: [account('a', [item(1, 'system', 300), item(2, 'confirm', 100)]), account('b', [item(1, 'confirm', 200), item(3, 'system', 400)])],
    });
    expect(merged.map((entry) => entry.key)).toEqual(['b:1', 'a:2', 'b:3', 'a:1']);
  });
});
