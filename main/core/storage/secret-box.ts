/**
 * Secrets (webhook codes, OAuth tokens) are stored only sealed by a SecretBox. The Electron shell
 * implements it with `safeStorage`; the engine never sees how, and never writes plain text.
 */
export interface SecretBox {
  /** `os` when an OS keychain protects the key; `basic-text` when it does not (warn the user). */
  readonly protection: 'os' | 'basic-text' | 'process-memory';
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}
