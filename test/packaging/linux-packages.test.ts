/**
 * The AppImage, deb and rpm as electron-builder plans them, offline: its `effectiveOptionComputed`
 * hook hands over each target's settings (the .desktop entry, the files fpm would install) just
 * before it would download fpm or the AppImage tools from GitHub, and returning true stops there.
 * Needs dist/ (`npm test` runs `npm run build` first).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setPrinter } from 'builder-util';
import { Arch, Platform, build } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINUX_SIZES } from '../../build/make-icons.mjs';

const root = join(import.meta.dirname, '..', '..');

interface AppImagePlan {
  desktop: string;
  desktopFileName: string;
}
/** fpm's arguments: options, then `source=destination` pairs; and the .desktop file it installs. */
interface FpmPlan {
  args: string[];
  desktop: string;
}

let work: string;
let appImage: AppImagePlan | undefined;
const fpm = new Map<string, FpmPlan>();

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) throw new Error('dist/ is not built: run `npm run build` first (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'b24-linux-packages-'));
  const electronDist = join(work, 'electron-dist');
  mkdirSync(join(electronDist, 'locales'), { recursive: true });
  // Never run; asar.test.ts checks fuses and locales.
  writeFileSync(join(electronDist, 'electron'), '');
  writeFileSync(join(electronDist, 'locales', 'en-US.pak'), '');
  // electron-builder's progress lines are kept, and shown only if the build fails.
  const log: string[] = [];
  setPrinter((message) => log.push(message));
  try {
    await planBuild(electronDist);
  } catch (error) {
    throw new Error(`electron-builder failed: ${String(error)}\n${log.join('\n')}`, { cause: error });
  } finally {
    setPrinter(null);
  }
}, 60_000);

async function planBuild(electronDist: string): Promise<void> {
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget(['AppImage', 'deb', 'rpm'], Arch.x64),
    publish: 'never',
    // On top of electron-builder.yml, which electron-builder still loads.
    config: { electronDist, npmRebuild: false, electronFuses: null, directories: { output: join(work, 'out') } },
    effectiveOptionComputed: async (options: unknown) => {
      if (Array.isArray(options)) {
        const [args, desktopPath] = options as [string[], string];
        const target = args[args.indexOf('--package') + 1]?.endsWith('.rpm') ? 'rpm' : 'deb';
        fpm.set(target, { args, desktop: readFileSync(desktopPath, 'utf8') });
      } else if (options && typeof options === 'object' && 'desktopFileName' in options) {
        appImage = options as AppImagePlan;
      }
      return true; // stop before the download
    },
  });
}

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `key=value` lines of the [Desktop Entry] group. */
function desktopEntry(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Where fpm installs each source file: destination → source. */
function installs(plan: FpmPlan): Map<string, string> {
  return new Map(
    plan.args
      .filter((arg) => /^\/.+=\/.+/.test(arg))
      .map((arg) => {
        const [source = '', destination = ''] = arg.split('=');
        return [destination, source];
      }),
  );
}

describe('Linux packages (planned offline)', () => {
  it('the AppImage carries b24-notify.desktop, whose StartupWMClass matches the app id', () => {
    expect(appImage?.desktopFileName).toBe('b24-notify.desktop');
    expect(desktopEntry(appImage?.desktop ?? '')).toMatchObject({ Name: 'B24 Notify', StartupWMClass: 'b24-notify', Icon: 'b24-notify' });
  });

  it.each(['deb', 'rpm'])('the %s installs the app, its .desktop entry and an icon in every size', (target) => {
    const plan = fpm.get(target);
    expect(plan, `${target} was not planned`).toBeDefined();
    if (!plan) return;
    const files = installs(plan);
    expect(files.get('/opt/B24 Notify')).toMatch(/linux-unpacked\/$/);
    expect(files.has('/usr/share/applications/b24-notify.desktop')).toBe(true);
    for (const size of LINUX_SIZES) expect(files.get(`/usr/share/icons/hicolor/${size}x${size}/apps/b24-notify.png`)).toBe(join(root, 'build', 'icons', `${size}x${size}.png`));
    expect(desktopEntry(plan.desktop)).toMatchObject({
      Name: 'B24 Notify',
      Exec: '"/opt/B24 Notify/b24-notify" %U',
      Icon: 'b24-notify',
      StartupWMClass: 'b24-notify',
      Categories: 'Network;',
    });
    expect(plan.args).toEqual(expect.arrayContaining(['--name', 'b24-notify', '--url', 'https://github.com/b24notify/b24-notify']));
  });
});
