/**
 * What the Settings window shows when a shortcut is typed (main/core/app/hotkey.ts, issue 17):
 * the default one, the exact refusal for each kind of mistake, which single keys Electron takes
 * (electron/electron docs/api/accelerator.md: letters, digits, F1–F24, punctuation, named keys),
 * that a blank field means "no shortcut", and CommandOrControl read as Ctrl off macOS.
 */
import { describe, expect, it } from 'vitest';
import { checkedHotkey, MAX_HOTKEY_LENGTH, normalizeHotkey } from '../../main/core/app/hotkey';
import { SettingsStore } from '../../main/core/settings/settings';
import { tempStorage } from '../harness/engine-harness';

const notAShortcut = (text: string): string => `“${text}” is not a shortcut: write it as modifiers and one key, such as Ctrl+Alt+B.`;
const refusal = (message: string) => expect.objectContaining({ name: 'HotkeyError', message });

describe('the shortcut a fresh install has', () => {
  it('is Ctrl+Alt+B (Cmd+Alt+B on macOS), free on every system', () => {
    const hotkey = new SettingsStore(tempStorage().open()).current.hotkey;
    expect(hotkey).toBe('CommandOrControl+Alt+B');
    for (const platform of ['win32', 'linux', 'darwin'] as const) expect(checkedHotkey(hotkey, platform)).toBe(hotkey);
  });
});

describe('refusals, in the words the window shows', () => {
  it(`a shortcut of up to ${MAX_HOTKEY_LENGTH} characters is read (spaces around it do not count); a longer one is too long`, () => {
    const padded = `Ctrl+Alt${' '.repeat(MAX_HOTKEY_LENGTH - 'Ctrl+Alt+B'.length)}+B`;
    expect(padded).toHaveLength(MAX_HOTKEY_LENGTH);
    expect(normalizeHotkey(`  ${padded}  `)).toBe('Control+Alt+B');
    expect(() => normalizeHotkey(`Ctrl+Alt ${padded.slice('Ctrl+Alt'.length)}`)).toThrow(refusal('That shortcut is too long.'));
  });

  it('an unknown modifier among known ones is no shortcut', () => {
    expect(() => normalizeHotkey('Ctrl+Hyper+B')).toThrow(refusal(notAShortcut('Ctrl+Hyper+B')));
    expect(() => normalizeHotkey(' Ctrl+Alt+BB ')).toThrow(refusal(notAShortcut('Ctrl+Alt+BB')));
  });

  it('a key alone or with Shift only would fire while typing', () => {
    const whileTyping = 'A shortcut needs Ctrl, Cmd, Alt or Super with its key, or it would fire while you type.';
    expect(() => normalizeHotkey('B')).toThrow(refusal(whileTyping));
    expect(() => normalizeHotkey('Shift+B')).toThrow(refusal(whileTyping));
  });

  it('the desktop’s own shortcut is named as typed, without the spaces around it', () => {
    expect(() => checkedHotkey('  alt+f4 ', 'win32')).toThrow(refusal('alt+f4 is the system’s shortcut for closing windows. Pick another.'));
  });
});

describe('keys', () => {
  it('punctuation keys are taken as they are; other single characters and look-alikes of F-keys are not', () => {
    expect(normalizeHotkey('ctrl+alt+/')).toBe('Control+Alt+/');
    expect(normalizeHotkey('Alt+Shift+,')).toBe('Alt+Shift+,');
    expect(normalizeHotkey('Super+`')).toBe('Super+`');
    for (const input of ['Ctrl+Alt+§', 'Ctrl+Alt+é', 'Ctrl+Alt+XF5', 'Ctrl+Alt+Numf1']) {
      expect(() => normalizeHotkey(input), input).toThrow(refusal(notAShortcut(input)));
    }
  });
});

describe('a blank field', () => {
  it('means no shortcut, on every system', () => {
    expect(normalizeHotkey('   ')).toBe('');
    expect(checkedHotkey('', 'linux')).toBe('');
    expect(checkedHotkey(' \t ', 'win32')).toBe('');
  });
});

describe('CommandOrControl', () => {
  it('is Ctrl on Windows and Linux, so it meets their Ctrl shortcuts', () => {
    expect(() => checkedHotkey('CmdOrCtrl+Alt+Delete', 'win32')).toThrow(/security screen/);
    expect(() => checkedHotkey('CommandOrControl+Shift+Escape', 'win32')).toThrow(/Task Manager/);
    expect(() => checkedHotkey('CommandOrControl+Alt+T', 'linux')).toThrow(/terminal/);
  });
});

describe('a system shortcut written another way Electron accepts (electron/electron docs/api/accelerator.md)', () => {
  it('Esc is Escape: Ctrl+Shift+Esc is still the Task Manager on Windows', () => {
    expect(() => checkedHotkey('Ctrl+Shift+Esc', 'win32')).toThrow(refusal('Ctrl+Shift+Esc is the system’s shortcut for the Task Manager. Pick another.'));
    expect(checkedHotkey('Ctrl+Shift+Esc', 'linux')).toBe('Control+Shift+Esc');
  });

  it('Super and Meta are Cmd on macOS: Super+Space is Spotlight, Meta+Tab switches apps, Super+Q quits', () => {
    expect(() => checkedHotkey('Super+Space', 'darwin')).toThrow(refusal('Super+Space is the system’s shortcut for Spotlight. Pick another.'));
    expect(() => checkedHotkey('Meta+Tab', 'darwin')).toThrow(refusal('Meta+Tab is the system’s shortcut for switching apps. Pick another.'));
    expect(() => checkedHotkey('Super+Q', 'darwin')).toThrow(refusal('Super+Q is the system’s shortcut for quitting apps. Pick another.'));
    // On Windows and Linux Super is the Windows key, and Super+Space is free there.
    expect(checkedHotkey('Super+Space', 'linux')).toBe('Super+Space');
    expect(checkedHotkey('Super+Q', 'win32')).toBe('Super+Q');
  });

  it('off macOS, Command is the Windows (Super) key to Electron: Command+L still locks the screen there', () => {
    expect(() => checkedHotkey('Command+L', 'win32')).toThrow(refusal('Command+L is the system’s shortcut for locking the screen. Pick another.'));
    expect(() => checkedHotkey('Cmd+D', 'linux')).toThrow(refusal('Cmd+D is the system’s shortcut for showing the desktop. Pick another.'));
    // On macOS Command+L is the apps' own (the address bar), not the system's.
    expect(checkedHotkey('Command+L', 'darwin')).toBe('Command+L');
  });
});

