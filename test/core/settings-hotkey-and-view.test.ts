/**
 * What the settings screen reads and changes through SettingsService: each portal's card (its own
 * colour, the plain-HTTP warning), launch at login where the platform has none, the global
 * shortcut (issue 17: checked against the system's own shortcuts, registered before it is kept,
 * a refusal reported in words) and a new poll interval applied to running portals at once.
 * The desktop below stands in for the shell's registry (its hotkey adapter over Electron's
 * globalShortcut, docs/api/global-shortcut.md: register answers false when another application
 * holds the combination).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { NotificationHub } from '../../main/core/app/hub';
import { HotkeyError, type HotkeyStatus } from '../../main/core/app/hotkey';
import { SettingsService, type HotkeyRegistry } from '../../main/core/app/settings-service';
import { NO_AUTOSTART } from '../../main/core/settings/autostart';
import { SettingsStore } from '../../main/core/settings/settings';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { clockedPortal } from '../harness/clocked-portal';
import { tempStorage } from '../harness/engine-harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A desktop where other applications hold some shortcuts; `explains: false` refuses without words. */
class Desktop implements HotkeyRegistry {
  #status: HotkeyStatus = { accelerator: '', state: 'off' };
  constructor(
    private readonly heldElsewhere: string[] = [],
    private readonly explains = true,
  ) {}

  apply(accelerator: string): HotkeyStatus {
    if (this.heldElsewhere.includes(accelerator)) {
      return { accelerator, state: 'refused', ...(this.explains ? { message: `Another application uses ${accelerator}.` } : {}) };
    }
    return (this.#status = accelerator ? { accelerator, state: 'active' } : { accelerator: '', state: 'off' });
  }

  status(): HotkeyStatus {
    return this.#status;
  }
}

function service(parts: { hotkey?: HotkeyRegistry; platform?: NodeJS.Platform } = {}): { settings: SettingsStore; accounts: AccountStore; service: SettingsService } {
  const storage = tempStorage().open();
  const secretBox = new ProcessSecretBox();
  const accounts = new AccountStore(storage, secretBox);
  const settings = new SettingsStore(storage);
  const hub = new NotificationHub();
  return { settings, accounts, service: new SettingsService({ settings, accounts, hub, autostart: NO_AUTOSTART, secretBox, ...parts }) };
}

describe('the settings view', () => {
  it('shows each portal in its own colour, and warns of plain HTTP only for an http address', async () => {
    const { accounts, service: settings } = service();
    // A box the user allowed plain HTTP, and the same kind of box after it moved to https (its
    // reconnect keeps the choice, account-store replaceWebhook): only the first sends in clear.
    const http = await accounts.add({ name: 'Box', auth: 'webhook', origin: 'http://box.example.com', webhookUserId: 1, code: 'boxcode1234', allowHttp: true });
    const https = await accounts.add({ name: 'Moved', auth: 'webhook', origin: 'https://moved.example.com', webhookUserId: 1, code: 'movedcode1234', allowHttp: true });
    accounts.update(https.id, { color: '#123abc' });
    const { portals } = await settings.view();
    expect(portals).toEqual([
      expect.objectContaining({ accountId: http.id, color: accounts.get(http.id)?.color, unencrypted: true }),
      expect.objectContaining({ accountId: https.id, color: '#123abc', unencrypted: false }),
    ]);
  });

  it('where the platform has no launch at login, says it is neither supported nor on', async () => {
    const view = await service().service.view();
    expect(view.autostart).toEqual({ supported: false, enabled: false });
    expect(view).not.toHaveProperty('hotkey');
  });

  it('shows whether the shortcut works where the shell has one', async () => {
    const desktop = new Desktop();
    const { service: settings } = service({ hotkey: desktop, platform: 'linux' });
    expect(settings.applyStoredHotkey()).toEqual({ accelerator: 'CommandOrControl+Alt+B', state: 'active' });
    expect((await settings.view()).hotkey).toEqual({ accelerator: 'CommandOrControl+Alt+B', state: 'active' });
  });
});

describe('the stored shortcut at startup', () => {
  it('is nothing to register where the shell has no shortcuts (the preview)', () => {
    expect(service().service.applyStoredHotkey()).toBeUndefined();
  });

  it('one that became the system’s own on this platform is reported as refused, not thrown', () => {
    const { settings, service: onMac } = service({ hotkey: new Desktop(), platform: 'darwin' });
    settings.update({ hotkey: 'Command+Q' });
    expect(onMac.applyStoredHotkey()).toEqual({ accelerator: '', state: 'refused', message: 'Command+Q is the system’s shortcut for quitting apps. Pick another.' });
  });
});

describe('changing the shortcut', () => {
  it('keeps it in the one written form once the desktop registered it', async () => {
    const { settings, service: linux } = service({ hotkey: new Desktop(), platform: 'linux' });
    const view = await linux.update({ hotkey: 'alt+ctrl+n' });
    expect(settings.current.hotkey).toBe('Control+Alt+N');
    expect(view.hotkey).toEqual({ accelerator: 'Control+Alt+N', state: 'active' });
  });

  it('is kept without registering where the shell has no shortcuts', async () => {
    const { settings, service: preview } = service({ platform: 'linux' });
    await preview.update({ hotkey: 'ctrl+alt+n' });
    expect(settings.current.hotkey).toBe('Control+Alt+N');
  });

  it('refuses one another application holds, in the desktop’s words, and keeps the old one', async () => {
    const { settings, service: linux } = service({ hotkey: new Desktop(['Control+Alt+N']), platform: 'linux' });
    await expect(linux.update({ hotkey: 'Ctrl+Alt+N' })).rejects.toEqual(new HotkeyError('Another application uses Control+Alt+N.'));
    expect(settings.current.hotkey).toBe('CommandOrControl+Alt+B');
  });

  it('says the system refused it when the desktop gives no reason', async () => {
    const { settings, service: linux } = service({ hotkey: new Desktop(['Control+Alt+N'], false), platform: 'linux' });
    const error = await linux.update({ hotkey: 'Ctrl+Alt+N' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HotkeyError);
    expect((error as HotkeyError).message).toBe('The system refused Ctrl+Alt+N. Pick another.');
    expect(settings.current.hotkey).toBe('CommandOrControl+Alt+B');
  });

  it('refuses the system’s own shortcut of the platform it runs on', async () => {
    const { settings, service: onMac } = service({ hotkey: new Desktop(), platform: 'darwin' });
    await expect(onMac.update({ hotkey: 'Cmd+Q' })).rejects.toThrow(/system’s shortcut for quitting apps/);
    expect(settings.current.hotkey).toBe('CommandOrControl+Alt+B');
  });
});

describe('the poll interval of running portals', () => {
  it('a new interval applies at once: the portal is polled now, then at the new interval', async () => {
    const w = await clockedPortal(cleanups);
    const settings = new SettingsService({ settings: new SettingsStore(w.storage), accounts: w.accounts, hub: w.hub, autostart: NO_AUTOSTART, secretBox: new ProcessSecretBox() });
    await w.pollAfter(() => settings.update({ pollIntervalMs: 60_000 }));
    expect(w.polls()).toBe(2);
    await w.pollAfter(() => w.clock.advance(60_000));
    expect(w.polls()).toBe(3);
  });

  it('another change leaves the schedule alone: the next poll comes when it was due', async () => {
    const w = await clockedPortal(cleanups);
    const settings = new SettingsService({ settings: new SettingsStore(w.storage), accounts: w.accounts, hub: w.hub, autostart: NO_AUTOSTART, secretBox: new ProcessSecretBox() });
    await w.clock.advance(20_000);
    await settings.update({ sound: true });
    // The default interval is 30 s (engine/schedule.ts): due 10 s from now, as before the change.
    expect(w.clock.nextDueInMs).toBe(10_000);
    await w.pollAfter(() => w.clock.advance(10_000));
    expect(w.polls()).toBe(2);
  });
});
