/**
 * The "your secrets are stored as plain text" warning from the real main bundle under the Electron
 * stand-in (issue 14, fix 6): it must follow the key provider the ASYNC encryptor chose, which seals
 * with a fallback key compiled into Chromium when no keyring answers (os_crypt_async
 * fallback_linux_key_provider.cc, ciphertext tagged "v10"); the old synchronous backend's name can
 * say otherwise in both directions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appHome, launchApp } from '../electron-standin/driver';
import { pollUntil } from '../harness/processes';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function protectionShown(env: NodeJS.ProcessEnv): Promise<string> {
  const home = appHome(env);
  cleanups.push(() => home.cleanup());
  const app = launchApp(home);
  cleanups.push(() => app.kill());
  await app.event('window-show');
  return pollUntil(async () => {
    const settings = await app.command<{ value: { secretProtection: string } }>('invoke', 'b24:settings:get', null);
    return settings.value.secretProtection !== 'pending' && settings.value.secretProtection;
  }, 'the secret protection settled');
}

describe('how well secrets are kept, as the window says it (stand-in, Linux)', () => {
  it('GNOME with no keyring daemon: the desktop says libsecret, the encryptor fell back: the warning shows', async () => {
    expect(await protectionShown({ B24_STANDIN_SYNC_BACKEND: 'gnome_libsecret', B24_STANDIN_ASYNC_PROVIDER: 'fallback' })).toBe('basic-text');
  });

  it('a desktop the old backend does not recognise, with a Secret Service running: no false warning', async () => {
    expect(await protectionShown({ B24_STANDIN_SYNC_BACKEND: 'basic_text', B24_STANDIN_ASYNC_PROVIDER: 'keyring' })).toBe('os');
  });
});
