import { describe, expect, it } from 'vitest';
import { MAX_TOOLTIP_UNITS, capLength, relativeTime } from '../../main/core/tray/tray-tooltip';
import { badgeText, trayView, type TrayViewInput } from '../../main/core/tray/tray-view';
import { hub, portal } from './snapshots';

const NOW_MS = Date.UTC(2026, 2, 3, 12, 0);
const MINUTE_MS = 60_000;
const ok = { status: 'ok' } as const;
const offline = { status: 'offline' } as const;
const paused = { status: 'paused' } as const;

function view(overrides: Partial<TrayViewInput> & Pick<TrayViewInput, 'snapshot'>) {
  return trayView({ doNotDisturb: false, paused: false, nowMs: NOW_MS, ...overrides });
}

describe('tray icon state', () => {
  it('is idle with nothing unread and unread with a count', () => {
    expect(view({ snapshot: hub(portal('Acme', ok)) }).state).toBe('idle');
    expect(view({ snapshot: hub(portal('Acme', ok, 3)) })).toMatchObject({ state: 'unread', badge: '3' });
  });

  it('sums the portals for the badge and shows 99+ from 100 on', () => {
    expect(view({ snapshot: hub(portal('Acme', ok, 40), portal('Beta', ok, 2)) }).badge).toBe('42');
    expect(view({ snapshot: hub(portal('Acme', ok, 60), portal('Beta', ok, 39)) }).badge).toBe('99');
    expect(view({ snapshot: hub(portal('Acme', ok, 60), portal('Beta', ok, 40)) }).badge).toBe('99+');
    // A portal reports 100 for "100 or more".
    expect(view({ snapshot: hub(portal('Acme', ok, 100)) }).badge).toBe('99+');
    expect([0, 1, 99, 100, 250].map(badgeText)).toEqual(['', '1', '99', '99+', '99+']);
  });

  it('is offline only when every portal is offline or asleep', () => {
    expect(view({ snapshot: hub(portal('Acme', offline, 2), portal('Beta', paused)) })).toMatchObject({ state: 'offline', badge: '2' });
    expect(view({ snapshot: hub(portal('Acme', offline), portal('Beta', ok)) }).state).toBe('idle');
    expect(view({ snapshot: hub() }).state).toBe('idle');
  });

  it('does not call a pause the user asked for offline', () => {
    expect(view({ snapshot: hub(portal('Acme', paused, 3)), paused: true })).toMatchObject({ state: 'dnd', badge: '3' });
  });

  it.each([
    { status: 'auth-needed', message: 'Sign in again.' },
    { status: 'scope-missing', message: 'The webhook lacks the im scope.' },
    { status: 'plan-unavailable', message: 'Not on this plan.' },
    { status: 'rate-limited', message: 'Too many requests.', retryAt: undefined },
    { status: 'error', message: 'Server error.', retryAt: NOW_MS + MINUTE_MS },
  ] as const)('is error when a portal is $status', (connection) => {
    expect(view({ snapshot: hub(portal('Acme', connection), portal('Beta', ok, 5)) }).state).toBe('error');
  });

  it('shows do-not-disturb over unread and idle but keeps the count', () => {
    expect(view({ snapshot: hub(portal('Acme', ok, 7)), doNotDisturb: true })).toMatchObject({ state: 'dnd', badge: '7' });
    expect(view({ snapshot: hub(portal('Acme', ok)), doNotDisturb: true }).state).toBe('dnd');
  });

  it('lets problems show through do-not-disturb', () => {
    expect(view({ snapshot: hub(portal('Acme', { status: 'auth-needed', message: 'Sign in again.' })), doNotDisturb: true }).state).toBe('error');
    expect(view({ snapshot: hub(portal('Acme', offline)), doNotDisturb: true }).state).toBe('offline');
  });

  it('passes the toggles to the menu', () => {
    expect(view({ snapshot: hub(), paused: true, doNotDisturb: false }).menu).toEqual({ paused: true, doNotDisturb: false });
    expect(view({ snapshot: hub(), paused: false, doNotDisturb: true }).menu).toEqual({ paused: false, doNotDisturb: true });
  });
});

describe('tray tooltip', () => {
  it('has the count and the oldest sync time', () => {
    const snapshot = hub(portal('Acme', ok, 2, NOW_MS - 30_000), portal('Beta', ok, 1, NOW_MS - 2 * MINUTE_MS));
    expect(view({ snapshot }).tooltip).toBe('B24 Notify — 3 unread · synced 2 min. ago');
  });

  it('says when nothing is unread, nothing has synced yet or no portal is connected', () => {
    expect(view({ snapshot: hub(portal('Acme', { status: 'connecting' })) }).tooltip).toBe('B24 Notify — no unread · not synced yet');
    expect(view({ snapshot: hub() }).tooltip).toBe('B24 Notify — no portals connected');
  });

  it('mentions offline, paused and do-not-disturb', () => {
    expect(view({ snapshot: hub(portal('Acme', offline, 100, NOW_MS - 3 * 3_600_000)) }).tooltip).toBe('B24 Notify — 99+ unread · offline · synced 3 hr. ago');
    expect(view({ snapshot: hub(portal('Acme', paused, 0, NOW_MS)), paused: true, doNotDisturb: true }).tooltip).toBe(
      'B24 Notify — no unread · paused · do not disturb · synced now',
    );
  });

  it('lists each portal with a problem, and offline portals while others are fine', () => {
    const snapshot = hub(
      portal('Acme', { status: 'auth-needed', message: 'Sign in again.' }, 0, NOW_MS - MINUTE_MS),
      portal('Beta', ok, 1, NOW_MS),
      portal('Gamma', offline, 0, NOW_MS),
    );
    expect(view({ snapshot }).tooltip).toBe('B24 Notify — 1 unread · synced 1 min. ago\nAcme: Sign in again.\nGamma: offline');
  });

  it('does not repeat "offline" per portal when the headline says it', () => {
    expect(view({ snapshot: hub(portal('Acme', offline, 0, NOW_MS)) }).tooltip).toBe('B24 Notify — no unread · offline · synced now');
  });

  it('stays within what Windows shows, ending in an ellipsis', () => {
    const long = 'The portal answered with an error that goes on and on about what went wrong.';
    const snapshot = hub(portal('Acme', { status: 'error', message: long, retryAt: undefined }), portal('Beta', { status: 'error', message: long, retryAt: undefined }));
    const tooltip = view({ snapshot }).tooltip;
    expect(tooltip).toHaveLength(MAX_TOOLTIP_UNITS);
    expect(tooltip.endsWith('…')).toBe(true);
    expect(tooltip.startsWith('B24 Notify — no unread · not synced yet\nAcme: The portal answered')).toBe(true);
  });

  it('localises the sync time', () => {
    const snapshot = hub(portal('Acme', ok, 0, NOW_MS - 5 * MINUTE_MS));
    expect(view({ snapshot, locale: 'de' }).tooltip).toContain(new Intl.RelativeTimeFormat('de', { numeric: 'auto', style: 'short' }).format(-5, 'minute'));
    expect(view({ snapshot, locale: 'not a locale!' }).tooltip).toContain('synced 5 min. ago');
  });
});

describe('tooltip helpers', () => {
  it('picks the largest whole unit and never reads as the future', () => {
    expect(relativeTime(NOW_MS - 59_999, NOW_MS)).toBe('59 sec. ago');
    expect(relativeTime(NOW_MS - 90 * MINUTE_MS, NOW_MS)).toBe('1 hr. ago');
    expect(relativeTime(NOW_MS - 2 * 86_400_000, NOW_MS)).toBe('2 days ago');
    expect(relativeTime(NOW_MS + MINUTE_MS, NOW_MS)).toBe('now');
  });

  it('does not split a surrogate pair when cutting', () => {
    expect(capLength('abc', 3)).toBe('abc');
    expect(capLength('abcd', 3)).toBe('ab…');
    const cut = capLength('a😀bcd', 3);
    expect(cut).toBe('a…');
  });
});
