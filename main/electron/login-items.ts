/** Launch at login on macOS and Windows (Electron's login items); Linux uses main/linux/xdg-autostart. */
import { app } from 'electron';
import type { Autostart } from '../core/settings/autostart';

export const electronLoginItems: Autostart = {
  supported: true,
  isEnabled: async () => app.getLoginItemSettings().openAtLogin,
  setEnabled: async (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] }),
};
