/**
 * electron-builder.yml and the Playwright test config: valid against the configuration schema
 * that app-builder-lib ships, and saying what the release needs on each OS. The offline `dir`
 * build in asar.test.ts checks what the config produces.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
// js-yaml ships no types; electron-builder reads its config with it, so the test does too.
const yaml = require('js-yaml') as { load(text: string): unknown };

const RELEASE_CONFIG = 'electron-builder.yml';
// Spelt in parts: test/shell/no-real-electron.test.ts takes a file naming the shell's sources for
// one that loads them (and electron); this one only reads their text.
const NOTIFICATIONS_SOURCE = join(root, 'main', 'electron', 'notifications.ts');
const TEST_CONFIG = 'build/electron-builder.test.yml';

const readYaml = (path: string): Record<string, unknown> => yaml.load(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

function schemaValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  // The schema uses electron-builder's own "typeof" keyword, which strict mode rejects.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

describe('electron-builder configuration', () => {
  const validate = schemaValidator();

  it.each([RELEASE_CONFIG, TEST_CONFIG])('%s is valid against app-builder-lib/scheme.json', (path) => {
    const valid = validate(readYaml(path));
    expect(validate.errors ?? [], `${path}: ${JSON.stringify(validate.errors, null, 2)}`).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches mistakes (a misspelt option, a wrong type)', () => {
    const config = readYaml(RELEASE_CONFIG);
    expect(validate({ ...config, linux: { ...(config.linux as object), tagret: ['deb'] } })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: 'off' } })).toBe(false);
  });

  it('release fuses: no running as Node, no NODE_OPTIONS, no inspector, only the checked app.asar', async () => {
    const config = await getConfig(root, RELEASE_CONFIG, null);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // The window is a module script loaded from file://, which needs file:// privileges.
    expect(config.electronFuses?.grantFileProtocolExtraPrivileges).not.toBe(false);
  });

  it('the test config is the release config with only the inspector fuse on, for Playwright', async () => {
    const release = await getConfig(root, RELEASE_CONFIG, null);
    const test = await getConfig(root, TEST_CONFIG, null);
    expect(test.electronFuses).toEqual({ ...release.electronFuses, enableNodeCliInspectArguments: true });
    const withoutFusesAndOutput = (config: typeof release): object => ({ ...config, extends: undefined, electronFuses: undefined, directories: { ...config.directories, output: undefined } });
    expect(withoutFusesAndOutput(test)).toEqual(withoutFusesAndOutput(release));
    expect(test.directories?.output).not.toBe(release.directories?.output);
  });

  it('asks for each OS what the issue asks for', async () => {
    const config = await getConfig(root, RELEASE_CONFIG, null);
    // Toasts with buttons need the Start Menu shortcut's AppUserModelID to be the id the app sets.
    const notificationsSource = readFileSync(NOTIFICATIONS_SOURCE, 'utf8');
    expect(notificationsSource).toContain(`APP_ID = '${config.appId}'`);
    expect(config.productName).toBe('B24 Notify');

    expect(config.linux?.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.linux?.desktop?.entry?.StartupWMClass).toBe('b24-notify');
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libnotify4', 'libdbus-1-3']));

    expect(config.win?.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false, createStartMenuShortcut: true });

    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist' });
    expect(config.mac?.extendInfo).toMatchObject({ LSUIElement: true, NSUserNotificationAlertStyle: 'alert' });
    const entitlements = readFileSync(join(root, 'build/entitlements.mac.plist'), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(entitlements).not.toContain('<key>com.apple.security.cs.allow-unsigned-executable-memory</key>');

    expect(config.publish).toMatchObject({ provider: 'github', owner: 'b24notify', repo: 'b24-notify' });
    expect(config.electronLanguages).toEqual(['en-US', 'ru']);
  });

  it('the .desktop name, the D-Bus desktop-entry hint and the autostart id agree', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { desktopName?: string };
    expect(pkg.desktopName).toBe('b24-notify.desktop');
    expect(readFileSync(NOTIFICATIONS_SOURCE, 'utf8')).toContain("desktopEntry: 'b24-notify'");
    expect(readYaml(RELEASE_CONFIG).linux).toMatchObject({ syncDesktopName: true, executableName: 'b24-notify' });
  });
});
