/**
 * The SecretBox on Electron's async safeStorage (the sync API goes away in Electron 46). On Linux
 * without a keyring the secrets are sealed with a key anyone has, which the window warns about.
 */
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/storage/secret-box';

/** The version tag of ciphertext sealed by os_crypt_async's Linux fallback key ("peanuts"). */
const LINUX_FALLBACK_TAG = 'v10';

export async function createSafeStorageBox(): Promise<SecretBox> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new Error('No secure storage is available for credentials on this system.');
  }
  // What the async encryptor chose, read from what it produces: on Linux its fallback provider seals
  // with a key compiled into Chromium and tags the result "v10" (os_crypt_async
  // fallback_linux_key_provider.cc). getSelectedStorageBackend() names the old synchronous
  // backend's desktop-based choice, which can differ either way (GNOME with no keyring daemon; a
  // desktop it does not recognise that has a Secret Service): electron-platform-notes §7.
  const probe = process.platform === 'linux' ? await safeStorage.encryptStringAsync('b24-notify probe') : undefined;
  const basic = probe !== undefined && probe.subarray(0, LINUX_FALLBACK_TAG.length).toString('latin1') === LINUX_FALLBACK_TAG;
  return {
    protection: basic ? 'basic-text' : 'os',
    seal: async (plain) => (await safeStorage.encryptStringAsync(plain)).toString('base64'),
    open: async (sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result,
    // docs/api/safe-storage.md: decryptStringAsync says when the data should be encrypted again.
    openChecked: async (sealed) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
      return { plain: result, reseal: shouldReEncrypt === true };
    },
  };
}
