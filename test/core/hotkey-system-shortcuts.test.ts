/**
 * Table-driven, from outside the module (main/core/app/hotkey.ts): every shortcut the desktops
 * keep for themselves is refused where they keep it, naming what it does, and taken where it is
 * free; every modifier and named key is written the way Electron spells it. The expectations are
 * written out here from the sources, not read from the module's tables:
 * - Electron's accelerator grammar, electron/electron docs/api/accelerator.md: the modifiers
 *   Command (Cmd), Control (Ctrl), CommandOrControl (CmdOrCtrl), Alt, Option, AltGr, Shift,
 *   Super (or Meta); the key codes 0–9, A–Z, F1–F24, the punctuation it lists, Plus, Space, Tab,
 *   Capslock, Numlock, Scrolllock, Backspace, Delete, Insert, Return (or Enter), Up, Down, Left,
 *   Right, Home, End, PageUp, PageDown, Escape (or Esc), PrintScreen and num0–num9, numdec,
 *   numadd, numsub, nummult, numdiv; accelerators are case-insensitive; "Use Alt instead of
 *   Option"; CommandOrControl is Command on macOS and Control on Linux and Windows.
 * - The desktops' own shortcuts: Windows (Ctrl+Alt+Del security screen, Alt+Tab, Alt+F4,
 *   Ctrl+Shift+Esc Task Manager, Win+L lock, Win+D desktop), common Linux desktops (the same
 *   Ctrl+Alt+Del, Alt+Tab, Alt+F4, Super+L, Super+D; Ctrl+Alt+T terminal, Ctrl+Alt+L lock,
 *   Ctrl+Alt+Left/Right workspaces), macOS (Cmd+Tab, Cmd+Space Spotlight, Cmd+Q, Cmd+Shift+3/4/5
 *   screenshots, Ctrl+Cmd+Q lock screen).
 * Where the desktop does not keep a combination, and it means something there, it is taken.
 */
import { describe, expect, it } from 'vitest';
import { checkedHotkey, normalizeHotkey } from '../../main/core/app/hotkey';

type Platform = 'win32' | 'linux' | 'darwin';

interface SystemShortcut {
  /** As a user would type it. */
  typed: string;
  /** Where the desktop keeps it, and what for (as the window words it). */
  keptOn: Platform[];
  use: string;
  /** Where it is free and valid, and how it is then written. */
  freeOn: Platform[];
  written: string;
}

const SYSTEM: SystemShortcut[] = [
  { typed: 'Ctrl+Alt+Delete', keptOn: ['win32', 'linux'], use: 'the system’s security screen or log-out', freeOn: ['darwin'], written: 'Control+Alt+Delete' },
  { typed: 'alt+tab', keptOn: ['win32', 'linux'], use: 'switching windows', freeOn: ['darwin'], written: 'Alt+Tab' },
  { typed: 'Alt+F4', keptOn: ['win32', 'linux'], use: 'closing windows', freeOn: ['darwin'], written: 'Alt+F4' },
  { typed: 'Ctrl+Shift+Escape', keptOn: ['win32'], use: 'the Task Manager', freeOn: ['linux', 'darwin'], written: 'Control+Shift+Escape' },
  // Super is the Windows key on Windows and Linux; on macOS it is Cmd, and Cmd+L, Cmd+D are the apps'.
  { typed: 'Super+L', keptOn: ['win32', 'linux'], use: 'locking the screen', freeOn: ['darwin'], written: 'Super+L' },
  { typed: 'Meta+D', keptOn: ['win32', 'linux'], use: 'showing the desktop', freeOn: ['darwin'], written: 'Super+D' },
  { typed: 'Ctrl+Alt+T', keptOn: ['linux'], use: 'opening a terminal on many Linux desktops', freeOn: ['win32', 'darwin'], written: 'Control+Alt+T' },
  { typed: 'Control+Alt+L', keptOn: ['linux'], use: 'locking the screen on many Linux desktops', freeOn: ['win32', 'darwin'], written: 'Control+Alt+L' },
  { typed: 'Ctrl+Alt+Left', keptOn: ['linux'], use: 'switching workspaces', freeOn: ['win32', 'darwin'], written: 'Control+Alt+Left' },
  { typed: 'ctrl+alt+right', keptOn: ['linux'], use: 'switching workspaces', freeOn: ['win32', 'darwin'], written: 'Control+Alt+Right' },
  // Command does nothing on Windows and Linux (Electron's platform notice): the macOS ones are
  // free there only as CommandOrControl, which is Ctrl there.
  { typed: 'CmdOrCtrl+Tab', keptOn: ['darwin'], use: 'switching apps', freeOn: ['win32', 'linux'], written: 'CommandOrControl+Tab' },
  { typed: 'Cmd+Space', keptOn: ['darwin'], use: 'Spotlight', freeOn: [], written: 'Command+Space' },
  { typed: 'Command+Q', keptOn: ['darwin'], use: 'quitting apps', freeOn: [], written: 'Command+Q' },
  { typed: 'Cmd+Shift+3', keptOn: ['darwin'], use: 'screenshots', freeOn: [], written: 'Command+Shift+3' },
  { typed: 'CmdOrCtrl+Shift+4', keptOn: ['darwin'], use: 'screenshots', freeOn: ['win32', 'linux'], written: 'CommandOrControl+Shift+4' },
  { typed: 'Shift+Cmd+5', keptOn: ['darwin'], use: 'screenshots', freeOn: [], written: 'Command+Shift+5' },
  { typed: 'Ctrl+Cmd+Q', keptOn: ['darwin'], use: 'locking the screen', freeOn: [], written: 'Command+Control+Q' },
];

describe('the desktops’ own shortcuts', () => {
  for (const shortcut of SYSTEM) {
    for (const platform of shortcut.keptOn) {
      it(`${shortcut.typed} is refused on ${platform}: ${shortcut.use}`, () => {
        expect(() => checkedHotkey(shortcut.typed, platform)).toThrow(
          expect.objectContaining({ name: 'HotkeyError', message: `${shortcut.typed} is the system’s shortcut for ${shortcut.use}. Pick another.` }),
        );
      });
    }
    for (const platform of shortcut.freeOn) {
      it(`${shortcut.typed} is taken on ${platform}, as ${shortcut.written}`, () => {
        expect(checkedHotkey(shortcut.typed, platform)).toBe(shortcut.written);
      });
    }
  }
});

describe('modifiers, written as Electron spells them, in one order', () => {
  // [typed, Electron's spelling]; aliases as the accelerator doc lists them, "Use Alt instead of Option".
  const MODIFIERS: [string, string][] = [
    ['Command', 'Command'],
    ['Cmd', 'Command'],
    ['Control', 'Control'],
    ['Ctrl', 'Control'],
    ['CommandOrControl', 'CommandOrControl'],
    ['CmdOrCtrl', 'CommandOrControl'],
    ['Alt', 'Alt'],
    ['Option', 'Alt'],
    ['AltGr', 'AltGr'],
    ['Super', 'Super'],
    ['Meta', 'Super'],
  ];
  for (const [typed, spelled] of MODIFIERS) {
    it(`${typed} (in any case) is ${spelled}`, () => {
      for (const variant of [typed, typed.toLowerCase(), typed.toUpperCase()]) expect(normalizeHotkey(`${variant}+K`), variant).toBe(`${spelled}+K`);
      // Shift goes with any of them, and after it unless it is Super.
      expect(normalizeHotkey(`shift+${typed}+K`)).toBe(spelled === 'Super' ? 'Shift+Super+K' : `${spelled}+Shift+K`);
    });
  }

  it('all of them at once, typed in reverse, come out in the one order', () => {
    expect(normalizeHotkey('meta+SHIFT+altgr+option+ctrl+cmd+cmdorctrl+f1')).toBe('CommandOrControl+Command+Control+Alt+AltGr+Shift+Super+F1');
  });
});

describe('keys, written as Electron spells them', () => {
  const NAMED = [
    'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter',
    'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'PrintScreen',
    'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9', 'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
  ];
  for (const named of NAMED) {
    it(`${named} (in any case)`, () => {
      for (const variant of [named, named.toLowerCase(), named.toUpperCase()]) expect(normalizeHotkey(`Alt+${variant}`), variant).toBe(`Alt+${named}`);
    });
  }

  it('letters and digits as capitals and digits, F1 to F24', () => {
    for (const char of 'abcdefghijklmnopqrstuvwxyz0123456789') expect(normalizeHotkey(`Ctrl+${char}`)).toBe(`Control+${char.toUpperCase()}`);
    for (let n = 1; n <= 24; n += 1) expect(normalizeHotkey(`Ctrl+f${n}`)).toBe(`Control+F${n}`);
    expect(() => normalizeHotkey('Ctrl+F0')).toThrow(/is not a shortcut/);
    expect(() => normalizeHotkey('Ctrl+F25')).toThrow(/is not a shortcut/);
  });

  it('the listed punctuation as it is; "+" as Plus', () => {
    for (const mark of ')!@#$%^&*(:;=<,_->.?/~`{][|\\}"') expect(normalizeHotkey(`Ctrl+Alt+${mark}`), mark).toBe(`Control+Alt+${mark}`);
    expect(normalizeHotkey('Ctrl+Alt++')).toBe('Control+Alt+Plus');
  });
});
