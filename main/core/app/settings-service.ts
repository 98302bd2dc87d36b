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
import { checkedHotkey, HotkeyError, type HotkeyStatus } from './hotkey';

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

/** The shell's global shortcut (main/electron/hotkey.ts). */
export interface HotkeyRegistry {
  /** Registers `accelerator` ('' = none) in place of the current one; a refused one leaves the current in place. */
  apply(accelerator: string): HotkeyStatus;
  status(): HotkeyStatus;
}

export interface SettingsView {
  settings: AppSettings;
  /** Whether the global shortcut works; absent where the shell has none (the preview). */
  hotkey?: HotkeyStatus;
  portals: PortalSummary[];
  autostart: { supported: boolean; enabled: boolean };
  /** 'basic-text': no OS keychain; the window warns that credentials are weakly protected. */
  secretProtection: SecretBox['protection'];
}

export class SettingsService {
  constructor(
    private readonly deps: {
      settings: SettingsStore;
      accounts: AccountStore;
      hub: NotificationHub;
      autostart: Autostart;
      secretBox: SecretBox;
      hotkey?: HotkeyRegistry;
      platform?: NodeJS.Platform;
    },
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
      ...(this.deps.hotkey ? { hotkey: this.deps.hotkey.status() } : {}),
    };
  }

  /** At startup: the stored shortcut, registered; one that no longer passes is reported, not thrown. */
  applyStoredHotkey(): HotkeyStatus | undefined {
    const registry = this.deps.hotkey;
    if (!registry) return undefined;
    try {
      return registry.apply(checkedHotkey(this.deps.settings.current.hotkey, this.deps.platform ?? process.platform));
    } catch (error) {
      return { accelerator: '', state: 'refused', message: error instanceof Error ? error.message : String(error) };
    }
  }

  async update(change: Partial<AppSettings>): Promise<SettingsView> {
    if (change.hotkey !== undefined) {
      // Checked and registered before it is kept: a shortcut the system refuses is never saved.
      const accelerator = checkedHotkey(change.hotkey, this.deps.platform ?? process.platform);
      const status = this.deps.hotkey?.apply(accelerator);
      if (status?.state === 'refused') throw new HotkeyError(status.message ?? `The system refused ${change.hotkey}. Pick another.`);
      change = { ...change, hotkey: accelerator };
    }
    const next = this.deps.settings.update(change);
    if (change.pollIntervalMs !== undefined) this.deps.hub.setPollInterval(next.pollIntervalMs);
    return this.view();
  }

  async setAutostart(enabled: boolean): Promise<SettingsView> {
    await this.deps.autostart.setEnabled(enabled);
    return this.view();
  }
}
