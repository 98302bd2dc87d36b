/**
 * What the settings screen reads and changes: app settings, connected portals, launch at login,
 * and how credentials are protected. Changes take effect at once (the poll interval on every
 * portal) and are stored before they are reported back.
 */
import type { AccountStore } from '../accounts/account-store';
import type { Autostart } from '../settings/autostart';
import type { AppSettings, SettingsStore } from '../settings/settings';
import type { SecretBox } from '../storage/secret-box';
import type { NotificationHub } from './hub';

export interface PortalSummary {
  accountId: string;
  name: string;
  origin: string;
  auth: 'webhook' | 'oauth';
  color: string;
  enabled: boolean;
  mutedCategories: string[];
  /** Categories that pop up even during quiet time. */
  breakThroughCategories: string[];
  /** Connected over plain HTTP by the user's choice: the card warns that credentials travel in clear. */
  unencrypted: boolean;
  /** Instant delivery allowed for this portal (a webhook's push channel); OAuth portals have none. */
  instant: boolean;
}

export interface SettingsView {
  settings: AppSettings;
  portals: PortalSummary[];
  autostart: { supported: boolean; enabled: boolean };
  /** 'basic-text': no OS keychain; the window warns that credentials are weakly protected. */
  secretProtection: SecretBox['protection'];
}

export class SettingsService {
  constructor(
    private readonly deps: { settings: SettingsStore; accounts: AccountStore; hub: NotificationHub; autostart: Autostart; secretBox: SecretBox },
  ) {}

  async view(): Promise<SettingsView> {
    const { settings, accounts, autostart, secretBox } = this.deps;
    return {
      settings: settings.current,
      portals: accounts.list().map(({ id, name, origin, auth, color, enabled, instant, mutedCategories, breakThroughCategories, allowHttp }) => ({
        accountId: id,
        name,
        origin,
        auth,
        color: color ?? '#2f80ed',
        enabled,
        mutedCategories,
        breakThroughCategories,
        unencrypted: allowHttp === true && new URL(origin).protocol === 'http:',
        instant,
      })),
      autostart: { supported: autostart.supported, enabled: autostart.supported ? await autostart.isEnabled() : false },
      secretProtection: secretBox.protection,
    };
  }

  async update(change: Partial<AppSettings>): Promise<SettingsView> {
    const next = this.deps.settings.update(change);
    if (change.pollIntervalMs !== undefined) this.deps.hub.setPollInterval(next.pollIntervalMs);
    return this.view();
  }

  async setAutostart(enabled: boolean): Promise<SettingsView> {
    await this.deps.autostart.setEnabled(enabled);
    return this.view();
  }
}
