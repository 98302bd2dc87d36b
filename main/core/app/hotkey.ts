/**
 * The global shortcut that opens and closes the window (issue 17): what may be chosen, and what
 * the system already uses. Electron's accelerator grammar: electron/electron docs/api/accelerator.md
 * (modifiers, then one key, joined with "+"; moved to docs/tutorial/keyboard-shortcuts.md in
 * 2025). The shell registers it (main/electron/hotkey.ts) and reports whether the system accepted it.
 */

export const DEFAULT_HOTKEY = 'CommandOrControl+Alt+B';
export const MAX_HOTKEY_LENGTH = 60;

export interface HotkeyStatus {
  /** The accelerator in effect, or '' when off. */
  accelerator: string;
  state: 'active' | 'off' | 'refused';
  /** Why the system refused it, in words for the window. */
  message?: string;
}

export class HotkeyError extends Error {
  override readonly name = 'HotkeyError';
}

const MODIFIERS = new Map<string, string>([
  ['command', 'Command'],
  ['cmd', 'Command'],
  ['control', 'Control'],
  ['ctrl', 'Control'],
  ['commandorcontrol', 'CommandOrControl'],
  ['cmdorctrl', 'CommandOrControl'],
  ['alt', 'Alt'],
  ['option', 'Alt'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  ['meta', 'Super'],
]);
const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter', 'Up', 'Down', 'Left', 'Right',
  'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'PrintScreen', 'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const KEYS = new Map<string, string>(NAMED_KEYS.map((key) => [key.toLowerCase(), key]));
const PUNCTUATION = new Set([...')!@#$%^&*(:;:+=<,_->.?/~`{][|\\}"\'']);
/** The order modifiers are written in, whatever order they were typed in. */
const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Alt', 'AltGr', 'Shift', 'Super'];

function key(part: string): string | undefined {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (/^f([1-9]|1[0-9]|2[0-4])$/i.test(part)) return part.toUpperCase();
  if (part.length === 1 && PUNCTUATION.has(part)) return part;
  return KEYS.get(part.toLowerCase());
}

/** The accelerator written the one way Electron and this app compare it; throws HotkeyError. */
export function normalizeHotkey(input: string): string {
  const text = input.trim();
  if (text === '') return '';
  if (text.length > MAX_HOTKEY_LENGTH) throw new HotkeyError('That shortcut is too long.');
  // "+" is a key too ("Ctrl+Plus" or "Ctrl++"): split on "+" that joins two parts.
  const parts = text.replace(/\+\+$/, '+Plus').split('+').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw new HotkeyError(`“${text}” is not a shortcut: write it as modifiers and one key, such as Ctrl+Alt+B.`);
  const keyPart = parts.at(-1)!;
  const modifiers = parts.slice(0, -1).map((part) => MODIFIERS.get(part.toLowerCase()));
  const finalKey = key(keyPart);
  if (!finalKey || modifiers.some((modifier) => modifier === undefined)) {
    throw new HotkeyError(`“${text}” is not a shortcut: write it as modifiers and one key, such as Ctrl+Alt+B.`);
  }
  const unique = [...new Set(modifiers as string[])].sort((a, b) => MODIFIER_ORDER.indexOf(a) - MODIFIER_ORDER.indexOf(b));
  // Without Ctrl, Cmd, Alt or Super every press of that key while typing anywhere would toggle the window.
  if (!unique.some((modifier) => modifier !== 'Shift')) throw new HotkeyError('A shortcut needs Ctrl, Cmd, Alt or Super with its key, or it would fire while you type.');
  return [...unique, finalKey].join('+');
}

/** Shortcuts the desktop itself answers (they never reach an app, or break the desktop if taken). */
const SYSTEM_SHORTCUTS: { accelerator: string; platforms: NodeJS.Platform[]; what: string }[] = [
  { accelerator: 'Control+Alt+Delete', platforms: ['win32', 'linux'], what: 'the system’s security screen or log-out' },
  { accelerator: 'Alt+Tab', platforms: ['win32', 'linux'], what: 'switching windows' },
  { accelerator: 'Alt+F4', platforms: ['win32', 'linux'], what: 'closing windows' },
  { accelerator: 'Control+Shift+Escape', platforms: ['win32'], what: 'the Task Manager' },
  { accelerator: 'Super+L', platforms: ['win32', 'linux'], what: 'locking the screen' },
  { accelerator: 'Super+D', platforms: ['win32', 'linux'], what: 'showing the desktop' },
  { accelerator: 'Control+Alt+T', platforms: ['linux'], what: 'opening a terminal on many Linux desktops' },
  { accelerator: 'Control+Alt+L', platforms: ['linux'], what: 'locking the screen on many Linux desktops' },
  { accelerator: 'Control+Alt+Left', platforms: ['linux'], what: 'switching workspaces' },
  { accelerator: 'Control+Alt+Right', platforms: ['linux'], what: 'switching workspaces' },
  { accelerator: 'Command+Tab', platforms: ['darwin'], what: 'switching apps' },
  { accelerator: 'Command+Space', platforms: ['darwin'], what: 'Spotlight' },
  { accelerator: 'Command+Q', platforms: ['darwin'], what: 'quitting apps' },
  { accelerator: 'Command+Shift+3', platforms: ['darwin'], what: 'screenshots' },
  { accelerator: 'Command+Shift+4', platforms: ['darwin'], what: 'screenshots' },
  { accelerator: 'Command+Shift+5', platforms: ['darwin'], what: 'screenshots' },
  { accelerator: 'Control+Command+Q', platforms: ['darwin'], what: 'locking the screen' },
];

/**
 * The keys `accelerator` presses on `platform`, written one way, for comparing with the system's.
 * Electron's docs/api/accelerator.md (since 2025 docs/tutorial/keyboard-shortcuts.md):
 * CommandOrControl is Command on macOS and Control elsewhere; "Super (or Meta)" is Cmd on macOS;
 * "Escape (or Esc)" is one key. Off macOS its parser reads Command as Super too
 * (shell/common/keyboard_util.cc maps command, cmd, super and meta to one key), whatever the doc
 * says of Command having no effect there.
 */
function resolved(accelerator: string, platform: NodeJS.Platform): string {
  const mac = platform === 'darwin';
  const pressed = normalizeHotkey(accelerator).split('+').map((part) => {
    if (part === 'CommandOrControl') return mac ? 'Command' : 'Control';
    if (part === 'Super' && mac) return 'Command';
    if (part === 'Command' && !mac) return 'Super';
    return part === 'Esc' ? 'Escape' : part;
  });
  return normalizeHotkey(pressed.join('+'));
}

/** What the system uses `accelerator` for on `platform`, if it is one of its own; undefined if free of them. */
export function systemUse(accelerator: string, platform: NodeJS.Platform): string | undefined {
  const wanted = resolved(accelerator, platform);
  return SYSTEM_SHORTCUTS.find((entry) => entry.platforms.includes(platform) && resolved(entry.accelerator, platform) === wanted)?.what;
}

/** Normalised and checked against the system's own shortcuts; throws HotkeyError with what to do. */
export function checkedHotkey(input: string, platform: NodeJS.Platform): string {
  const accelerator = normalizeHotkey(input);
  if (accelerator === '') return '';
  const use = systemUse(accelerator, platform);
  if (use) throw new HotkeyError(`${input.trim()} is the system’s shortcut for ${use}. Pick another.`);
  return accelerator;
}
