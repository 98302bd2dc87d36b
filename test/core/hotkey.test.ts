/**
 * The global shortcut as the user types or presses it (issue 17): written one way whatever the
 * spelling (Electron's accelerator grammar, docs/api/accelerator.md), refused in words when it is
 * no shortcut or one the desktop keeps for itself.
 */
import { describe, expect, it } from 'vitest';
import { checkedHotkey, DEFAULT_HOTKEY, HotkeyError, normalizeHotkey, systemUse } from '../../main/core/app/hotkey';

describe('a shortcut, written one way', () => {
  it('modifiers in a fixed order, aliases resolved, the key upper-case', () => {
    expect(normalizeHotkey('alt+ctrl+b')).toBe('Control+Alt+B');
    expect(normalizeHotkey(' CmdOrCtrl + Shift + k ')).toBe('CommandOrControl+Shift+K');
    expect(normalizeHotkey('Option+Meta+f12')).toBe('Alt+Super+F12');
    expect(normalizeHotkey('Ctrl++')).toBe('Control+Plus');
    expect(normalizeHotkey('Ctrl+Alt+pagedown')).toBe('Control+Alt+PageDown');
    expect(normalizeHotkey('')).toBe('');
    expect(normalizeHotkey(DEFAULT_HOTKEY)).toBe(DEFAULT_HOTKEY);
  });

  it('refuses what is not a shortcut, or one that would fire while typing', () => {
    for (const input of ['B', 'Shift+B', 'Ctrl+', 'Ctrl+Alt', 'Hyper+B', 'Ctrl+Alt+BB', 'Ctrl+F25', `Ctrl+${'A'.repeat(80)}`]) {
      expect(() => normalizeHotkey(input), input).toThrow(HotkeyError);
    }
  });
});

describe('the desktop’s own shortcuts', () => {
  it('are refused with what they do, per system; CommandOrControl is Cmd on macOS, Ctrl elsewhere', () => {
    expect(systemUse('Control+Alt+T', 'linux')).toMatch(/terminal/);
    expect(systemUse('Control+Alt+T', 'win32')).toBeUndefined();
    expect(systemUse('CommandOrControl+Q', 'darwin')).toMatch(/quitting/);
    expect(systemUse('CommandOrControl+Q', 'linux')).toBeUndefined();
    expect(systemUse('Alt+Control+Delete', 'win32')).toMatch(/security/);
    expect(() => checkedHotkey('ctrl+alt+t', 'linux')).toThrow(/ctrl\+alt\+t is the system’s shortcut for opening a terminal/);
    expect(checkedHotkey(DEFAULT_HOTKEY, 'linux')).toBe(DEFAULT_HOTKEY);
    expect(checkedHotkey(DEFAULT_HOTKEY, 'darwin')).toBe(DEFAULT_HOTKEY);
    expect(checkedHotkey(DEFAULT_HOTKEY, 'win32')).toBe(DEFAULT_HOTKEY);
  });
});
