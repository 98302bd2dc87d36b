/** Launch at login on macOS and Windows (Electron's login items); Linux uses main/linux/xdg-autostart. */
import { app } from 'electron';
import type { Autostart } from '../core/settings/autostart';

// Windows reports openAtLogin correctly only when asked with the same args it was set with
// (electron-platform-notes §7; docs/api/app.md getLoginItemSettings).
const LOGIN_ARGS = ['--hidden'];

export const electronLoginItems: Autostart = {
  supported: true,
  isEnabled: async () => app.getLoginItemSettings({ args: LOGIN_ARGS }).openAtLogin,
  setEnabled: async (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: LOGIN_ARGS }),
};

/** Started by the system at login (our --hidden argument, or macOS's own flag): stay in the tray. */
export function startedAtLogin(): boolean {
  return process.argv.includes('--hidden') || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true);
}
