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
}
