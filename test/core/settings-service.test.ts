import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { connectWebhook } from '../../main/core/app/connect';
import { SettingsService } from '../../main/core/app/settings-service';
import { SettingsStore } from '../../main/core/settings/settings';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { XdgAutostart } from '../../main/linux/xdg-autostart';
import { startPortalSim } from '../portal-sim';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('XdgAutostart (on a temporary config home)', () => {
  it('writes a desktop entry that starts the app hidden, and removes it', async () => {
    const configHome = mkdtempSync(join(tmpdir(), 'b24-xdg-'));
    const autostart = new XdgAutostart({ exec: '/opt/B24 Notify/b24-notify', appName: 'B24 Notify', id: 'b24-notify', configHome });
    expect(autostart.filePath).toBe(join(configHome, 'autostart', 'b24-notify.desktop'));
    expect(await autostart.isEnabled()).toBe(false);
    await autostart.setEnabled(true);
    expect(await autostart.isEnabled()).toBe(true);
    const entry = await readFile(autostart.filePath, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=B24 Notify\n');
    expect(entry).toContain('Exec="/opt/B24 Notify/b24-notify" --hidden\n');
    await autostart.setEnabled(false);
    expect(await autostart.isEnabled()).toBe(false);
    await autostart.setEnabled(false); // idempotent
  });
});

describe('XdgAutostart (on a temporary HOME, as a user without XDG_CONFIG_HOME)', () => {
  it('writes ~/.config/autostart/b24-notify.desktop under HOME and removes it', async () => {
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    const home = mkdtempSync(join(tmpdir(), 'b24-home-'));
    process.env.HOME = home;
    delete process.env.XDG_CONFIG_HOME;
    try {
      const autostart = new XdgAutostart({ exec: '/usr/bin/b24-notify', appName: 'B24 Notify', id: 'b24-notify' });
      expect(autostart.filePath).toBe(join(home, '.config', 'autostart', 'b24-notify.desktop'));
      await autostart.setEnabled(true);
      expect(await readFile(autostart.filePath, 'utf8')).toContain('Exec=/usr/bin/b24-notify --hidden\n');
      await autostart.setEnabled(false);
      await expect(readFile(autostart.filePath, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.XDG_CONFIG_HOME !== undefined) process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
    }
  });
});

describe('SettingsService', () => {
  it('changes the poll interval everywhere, toggles autostart, and lists portals until one is disconnected with its secrets', async () => {
    const portal = await startPortalSim();
    const store = tempStorage();
    const storage = store.open();
    const secretBox = new ProcessSecretBox();
    const accounts = new AccountStore(storage, secretBox);
    const hub = new NotificationHub();
    const settings = new SettingsStore(storage);
    const autostart = new XdgAutostart({ exec: '/usr/bin/b24-notify', appName: 'B24 Notify', id: 'b24-notify', configHome: mkdtempSync(join(tmpdir(), 'b24-xdg-')) });
    cleanups.push(async () => {
      await hub.stopAll();
      await portal.close();
    });
    const service = new SettingsService({ settings, accounts, hub, autostart, secretBox });
    const account = await connectWebhook(portal.webhookUrl, connectDeps({ accounts, hub, storage }));
    expect(await service.view()).toMatchObject({
      portals: [{ accountId: account.id, origin: portal.origin, auth: 'webhook' }],
      autostart: { supported: true, enabled: false },
      secretProtection: 'process-memory',
    });
    expect((await service.update({ pollIntervalMs: 60_000 })).settings.pollIntervalMs).toBe(60_000);
    expect((await service.setAutostart(true)).autostart.enabled).toBe(true);
    const portals = new AccountsService({ accounts, hub, storage, createEngine: () => Promise.reject(new Error('not used')) });
    await portals.remove(account.id);
    expect((await service.view()).portals).toEqual([]);
    expect(hub.snapshot().accounts).toEqual([]);
    expect(await readFile(store.filePath, 'utf8')).not.toContain(account.id);
    await expect(accounts.credentials(account.id)).rejects.toThrow();
  });
});
