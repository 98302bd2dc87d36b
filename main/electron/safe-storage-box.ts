/**
 * The SecretBox on Electron's async safeStorage (the sync API goes away in Electron 46). On Linux
 * without a keyring the backend is `basic_text`, which the window warns about.
 */
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/storage/secret-box';

export async function createSafeStorageBox(): Promise<SecretBox> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new Error('No secure storage is available for credentials on this system.');
  }
  const basic = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
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
