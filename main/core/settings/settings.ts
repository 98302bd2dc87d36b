/**
 * App-wide settings with their defaults, stored under one schema-checked key. A stored value that
 * no longer fits is kept aside by Storage and the defaults apply.
 */
import * as v from 'valibot';
import { DEFAULT_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../engine/schedule';
import { DEFAULT_DO_NOT_DISTURB, DoNotDisturbSchema, migrateDoNotDisturb } from '../notifier/do-not-disturb';
import type { Storage } from '../storage/storage';
import { DEFAULT_HOTKEY, MAX_HOTKEY_LENGTH } from '../app/hotkey';

const SETTINGS_KEY = 'settings';

export const AppSettingsSchema = v.object({
  pollIntervalMs: v.pipe(v.number(), v.integer(), v.minValue(MIN_POLL_INTERVAL_MS), v.maxValue(MAX_POLL_INTERVAL_MS)),
  doNotDisturb: DoNotDisturbSchema,
  sound: v.boolean(),
  hideOnBlur: v.boolean(),
  /** Clicking a popup (not a button) also marks its item read on the portal. */
  markReadOnPopupClick: v.boolean(),
  /** The window's language; 'system' follows the OS. */
  language: v.picklist(['system', 'en', 'ru']),
  /** The global shortcut that opens and closes the window (an Electron accelerator; '' = none). */
  hotkey: v.pipe(v.string(), v.maxLength(MAX_HOTKEY_LENGTH)),
});
export type AppSettings = v.InferOutput<typeof AppSettingsSchema>;

export const DEFAULT_SETTINGS: AppSettings = {
  pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
  doNotDisturb: DEFAULT_DO_NOT_DISTURB,
  sound: false,
  hideOnBlur: true,
  markReadOnPopupClick: true,
  language: 'system',
  hotkey: DEFAULT_HOTKEY,
};

export class SettingsStore {
  #current: AppSettings;

  constructor(private readonly storage: Storage) {
    const stored = { ...DEFAULT_SETTINGS, ...storage.read(SETTINGS_KEY, v.partial(AppSettingsSchema)) };
    // Quiet hours by weekday replaced the one daily period (issue 17): older settings migrate once.
    const doNotDisturb = migrateDoNotDisturb(stored.doNotDisturb);
    this.#current = { ...stored, doNotDisturb };
    if (doNotDisturb !== stored.doNotDisturb) this.storage.write(SETTINGS_KEY, AppSettingsSchema, this.#current);
  }

  get current(): AppSettings {
    return this.#current;
  }

  update(change: Partial<AppSettings>): AppSettings {
    const next = { ...this.#current, ...change };
    this.storage.write(SETTINGS_KEY, AppSettingsSchema, next);
    this.#current = next;
    return next;
  }
}
