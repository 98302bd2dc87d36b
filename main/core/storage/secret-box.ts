/**
 * Secrets (webhook codes, OAuth tokens) are stored only sealed by a SecretBox. The Electron shell
 * implements it with `safeStorage`; the engine never sees how, and never writes plain text.
 */
export interface SecretBox {
  /**
   * `os` when an OS keychain protects the key; `basic-text` when it does not (warn the user);
   * `pending` while the system's secret storage has not answered yet (a keyring prompt).
   */
  readonly protection: 'os' | 'basic-text' | 'process-memory' | 'pending';
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
  /**
   * Like open, and says whether the secret should be sealed again (the OS rotated its key or the
   * backend changed: Electron's decryptStringAsync `shouldReEncrypt`). Boxes without it never ask.
   */
  openChecked?(sealed: string): Promise<{ plain: string; reseal: boolean }>;
}
