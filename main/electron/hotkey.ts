/**
 * The global shortcut through Electron's globalShortcut (docs/api/global-shortcut.md): register
 * answers false when another application holds the combination; registering the new one first
 * keeps the old one working if the new one is refused. On native Wayland, shortcuts go through the
 * desktop's GlobalShortcuts portal, which Chromium uses only with its GlobalShortcutsPortal
 * feature on (`enableWaylandShortcuts`, before ready); the desktop may then ask the user.
 */
import { app, globalShortcut } from 'electron';
import type { HotkeyStatus } from '../core/app/hotkey';
import type { HotkeyRegistry } from '../core/app/settings-service';

export function enableWaylandShortcuts(): void {
  if (process.platform === 'linux' && process.env.XDG_SESSION_TYPE === 'wayland') app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
}

export class GlobalHotkey implements HotkeyRegistry {
  #status: HotkeyStatus = { accelerator: '', state: 'off' };
  readonly #onPress: () => void;

  constructor(onPress: () => void) {
    this.#onPress = onPress;
    app.on('will-quit', () => globalShortcut.unregisterAll());
  }

  status(): HotkeyStatus {
    return this.#status;
  }

  apply(accelerator: string): HotkeyStatus {
    const current = this.#status.state === 'active' ? this.#status.accelerator : '';
    if (accelerator === current) return this.#status;
    if (accelerator === '') {
      if (current) globalShortcut.unregister(current);
      return (this.#status = { accelerator: '', state: 'off' });
    }
    let registered = false;
    try {
      registered = globalShortcut.register(accelerator, this.#onPress);
    } catch {
      // An accelerator Electron cannot parse: refused like a taken one.
    }
    if (!registered) {
      const refused: HotkeyStatus = { accelerator, state: 'refused', message: `The system refused ${accelerator}: another application already uses it. Pick another.` };
      // The one in use (if any) stays; what is reported for the stored setting is the refusal.
      if (!current) this.#status = refused;
      return refused;
    }
    if (current) globalShortcut.unregister(current);
    return (this.#status = { accelerator, state: 'active' });
  }
}
