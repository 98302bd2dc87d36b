/**
 * A desktop without a tray (GNOME without the AppIndicator extension) would leave the app running
 * and unreachable: there the window opens at every launch (also at login), and the user is told
 * once, with what to do, that the tray icon is missing (issue 17).
 */
import * as v from 'valibot';
import type { Storage } from '../storage/storage';

const TOLD_KEY = 'notice:no-tray-host';

export const NO_TRAY_NOTICE =
  'This desktop shows no tray icons, so B24 Notify opens its window instead. For the tray icon on GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension (on Ubuntu: “Ubuntu AppIndicators”, usually there already) and log in again. Until then the window also opens from the app launcher and with the global shortcut (Settings).';

export function whenTrayChecked(present: boolean | undefined, deps: { storage: Storage; addNotice(message: string): void; showWindow(): void; log(message: string): void }): void {
  deps.log(`tray host: ${present === undefined ? 'unknown' : present ? 'present' : 'absent'}`);
  if (present !== false) return;
  deps.showWindow();
  if (deps.storage.read(TOLD_KEY, v.boolean()) === true) return;
  deps.storage.write(TOLD_KEY, v.boolean(), true);
  deps.addNotice(NO_TRAY_NOTICE);
}
