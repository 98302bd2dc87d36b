/**
 * The system tools the suites use, checked in one place (vitest globalSetup, before any suite).
 * A machine that lacks one fails `npm test` with the exact command that installs it, unless the
 * user asks to skip (B24_SKIP_SYSTEM_TESTS=1): then the run says loudly, first and last, which
 * suites did not run. Under CI=true nothing may be skipped for a missing tool.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium';
import { PYTHON } from './dbus-session';
import { runs } from './processes';

export interface Prerequisite {
  /** What it is for, as the summary says it. */
  purpose: string;
  /** Debian packages that provide it. */
  packages: string[];
  present: () => boolean;
  /** The suites that need it run on Linux only (D-Bus popups, dunst, the window in Chromium). */
  linuxOnly?: true;
}

export const PREREQUISITES: readonly Prerequisite[] = [
  { purpose: 'throwaway TLS certificates (simulator over HTTPS, proxy, on-premise CA suites)', packages: ['openssl'], present: () => runs('openssl', ['version']) },
  { purpose: 'a private session bus with a mock notification server (Linux popup suites)', packages: ['dbus', 'dbus-daemon', 'libglib2.0-bin', 'python3-dbusmock'], present: () => runs('dbus-daemon', ['--version']) && runs(PYTHON, ['-c', 'import dbus, dbusmock']), linuxOnly: true },
  { purpose: "GNOME's notification settings through a temporary GSettings backend (system do-not-disturb suite)", packages: ['libglib2.0-bin', 'gsettings-desktop-schemas'], present: () => runs('gsettings', ['list-keys', 'org.gnome.desktop.notifications']), linuxOnly: true },
  { purpose: 'a real notification server on a virtual display (dunst end-to-end suites)', packages: ['dunst', 'xvfb', 'xauth'], present: () => runs('sh', ['-c', 'command -v Xvfb && command -v xauth && command -v dunstctl']), linuxOnly: true },
  { purpose: 'the tray window in a browser (Chromium suites)', packages: ['chromium'], present: () => existsSync(CHROMIUM_PATH), linuxOnly: true },
];

export interface PrerequisiteVerdict {
  missing: Prerequisite[];
  /** One line per missing tool, and the command that installs them all. */
  message: string;
  /** True when the run must stop. */
  fatal: boolean;
}

export function checkPrerequisites(env: NodeJS.ProcessEnv = process.env, prerequisites: readonly Prerequisite[] = PREREQUISITES, platform: NodeJS.Platform = process.platform): PrerequisiteVerdict {
  // Elsewhere than Linux the Linux-only suites skip by platform; that is said, not failed.
  const applicable = platform === 'linux' ? prerequisites : prerequisites.filter((prerequisite) => !prerequisite.linuxOnly);
  const linuxOnlyNote =
    platform === 'linux' ? '' : `Linux-only suites not run on ${platform}: ${prerequisites.filter((prerequisite) => prerequisite.linuxOnly).map((prerequisite) => prerequisite.purpose).join('; ')}.`;
  const missing = applicable.filter((prerequisite) => !prerequisite.present());
  if (missing.length === 0) return { missing, message: linuxOnlyNote, fatal: false };
  const packages = [...new Set(missing.flatMap((prerequisite) => prerequisite.packages))];
  const install = `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const lines = missing.map((prerequisite) => `  - ${prerequisite.purpose}: needs ${prerequisite.packages.join(', ')}`);
  const skipping = env.B24_SKIP_SYSTEM_TESTS === '1' && env.CI !== 'true';
  const header = skipping
    ? '!!! B24_SKIP_SYSTEM_TESTS=1: these suites DID NOT RUN for missing system tools:'
    : env.CI === 'true'
      ? 'npm test under CI=true: system tools are missing, and nothing may be skipped:'
      : 'npm test needs system tools this machine lacks:';
  const footer = skipping
    ? `Install them to run everything: ${install}`
    : `Install them (Debian/Ubuntu): ${install}\n(or \`bash .ci/run\`), or run with B24_SKIP_SYSTEM_TESTS=1 to skip those suites${env.CI === 'true' ? ' (not allowed under CI=true)' : ''}.`;
  return { missing, message: [header, ...lines, footer, ...(linuxOnlyNote ? [linuxOnlyNote] : [])].join('\n'), fatal: !skipping };
}
