/**
 * A real notification daemon for a test: dunst on a private session bus, drawing on its own
 * Xvfb display. Buttons are pressed the way a user does in dunst: `dunstctl context` opens the
 * context menu through the configured `dmenu` command, here a script that picks the line of the
 * wanted action (dunst lists one line per action: `#<label> (<summary>) [<id>,<key>]`).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { startSessionBus, type DbusSession } from './dbus-session';
import { firstLine, runs, spawnGroup, type GroupProcess } from './processes';

export const NO_DUNST = 'skipped: cannot start dunst under Xvfb — install dbus, xvfb, dunst';

let canStart: boolean | undefined;
/** dbus-daemon, Xvfb, dunst and dunstctl are installed (checked once per worker). */
export function canStartDunst(): boolean {
  canStart ??= runs('dbus-daemon', ['--version']) && runs('sh', ['-c', 'command -v Xvfb && command -v dunstctl && command -v dbus-send']) && runs('dunst', ['-v']);
  return canStart;
}

export interface DunstSession {
  bus: DbusSession;
  /** ":N" */
  display: string;
  /** Opens dunst's context menu and picks the action `actionKey` of the displayed popup. */
  pressViaDunst(actionKey: string): Promise<void>;
  /** `dunstctl action 0`: dunst runs the "default" action of the first popup (or opens the menu if it has none). */
  clickFirst(): Promise<void>;
  /** `dunstctl close`: the user closes the newest popup. */
  closeNewest(): Promise<void>;
  /** Popups on screen now (`dunstctl count displayed`). */
  displayedCount(): Promise<number>;
  /** `dunstctl set-paused`: dunst's own do-not-disturb. */
  setPaused(paused: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startDunstSession(): Promise<DunstSession> {
  const dir = mkdtempSync(join(tmpdir(), 'b24-dunst-'));
  const wantedPath = join(dir, 'wanted-action');
  const dmenuPath = join(dir, 'dmenu.sh');
  writeFileSync(
    dmenuPath,
    `#!/bin/sh
# Stands in for dmenu: prints the first menu line whose action key is the wanted one.
cat > "${join(dir, 'dmenu-input')}"
grep -F ",$(cat "${wantedPath}")]" "${join(dir, 'dmenu-input')}" | head -n 1
`,
  );
  chmodSync(dmenuPath, 0o755);
  const dunstrc = join(dir, 'dunstrc');
  writeFileSync(dunstrc, `[global]\n    dmenu = ${dmenuPath}\n`);

  let xvfb: GroupProcess | undefined;
  let bus: DbusSession | undefined;
  let dunst: GroupProcess | undefined;
  const cleanup = async (): Promise<void> => {
    await dunst?.stop();
    await bus?.close();
    await xvfb?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    xvfb = spawnGroup('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const display = `:${await firstLine(xvfb.child.stdio[3] as Readable, 'Xvfb -displayfd')}`;
    bus = await startSessionBus();
    // No WAYLAND_DISPLAY: dunst would prefer a Wayland compositor over the X display.
    const { WAYLAND_DISPLAY: _wayland, ...env } = bus.env;
    const dunstEnv = { ...env, DISPLAY: display };
    dunst = spawnGroup('dunst', ['-config', dunstrc], { env: dunstEnv });
    dunst.child.stdout?.resume();
    await bus.awaitNotificationsOwner(true, dunst);

    const dunstctl = async (...args: string[]): Promise<string> => (await promisify(execFile)('dunstctl', args, { env: dunstEnv, timeout: 5_000 })).stdout;
    return {
      bus,
      display,
      async pressViaDunst(actionKey) {
        writeFileSync(wantedPath, actionKey);
        await dunstctl('context');
      },
      async clickFirst() {
        await dunstctl('action', '0');
      },
      async closeNewest() {
        await dunstctl('close');
      },
      async setPaused(paused) {
        await dunstctl('set-paused', String(paused));
      },
      async displayedCount() {
        return Number.parseInt(await dunstctl('count', 'displayed'), 10);
      },
      close: cleanup,
    };
  } catch (error) {
    const stderr = `Xvfb: ${xvfb?.stderr() ?? ''}; dunst: ${dunst?.stderr() ?? ''}`;
    await cleanup();
    throw new Error(`cannot start dunst under Xvfb: ${error instanceof Error ? error.message : String(error)}; ${stderr}`, { cause: error });
  }
}
