/**
 * Launch at login on Linux: an XDG autostart entry in ~/.config/autostart (Electron's
 * setLoginItemSettings covers only macOS and Windows). Written atomically; removing it is enough
 * to turn it off.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Autostart } from '../core/settings/autostart';

export interface XdgAutostartOptions {
  /** The command that starts the app (the AppImage path or the installed binary). */
  exec: string;
  appName: string;
  /** File name without `.desktop`; matches the app's desktop entry. */
  id: string;
  /** Defaults to $XDG_CONFIG_HOME or ~/.config. */
  configHome?: string;
}

/** Desktop-entry Exec values quote arguments with spaces and escape quotes and backslashes. */
function quoteExec(command: string): string {
  return /[\s"'\\$`]/.test(command) ? `"${command.replace(/(["\\$`])/g, '\\$1')}"` : command;
}

export class XdgAutostart implements Autostart {
  readonly supported = true;
  readonly #file: string;

  constructor(private readonly options: XdgAutostartOptions) {
    // $HOME as the process sees it now (the XDG base directory spec names it): os.homedir() reads
    // the environment below JavaScript, which a worker thread's process.env does not change.
    const configHome = options.configHome ?? (process.env.XDG_CONFIG_HOME || join(process.env.HOME || homedir(), '.config'));
    this.#file = join(configHome, 'autostart', `${options.id}.desktop`);
  }

  get filePath(): string {
    return this.#file;
  }

  async isEnabled(): Promise<boolean> {
    return stat(this.#file).then(
      () => true,
      () => false,
    );
  }

  async setEnabled(enabled: boolean): Promise<void> {
    if (!enabled) {
      await rm(this.#file, { force: true });
      return;
    }
    const entry = [
      '[Desktop Entry]',
      'Type=Application',
      `Name=${this.options.appName}`,
      `Exec=${quoteExec(this.options.exec)} --hidden`,
      'X-GNOME-Autostart-enabled=true',
      'NoDisplay=false',
      'Terminal=false',
      '',
    ].join('\n');
    await mkdir(join(this.#file, '..'), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    await writeFile(temporary, entry, { mode: 0o644 });
    await rename(temporary, this.#file);
  }
}
