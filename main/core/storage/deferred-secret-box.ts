/**
 * A SecretBox whose real box is still on its way. Electron's async safeStorage may wait on a
 * keyring unlock prompt before it says whether encryption is available
 * (electron-platform-notes §7), so the tray and the window must not wait for it: they start at
 * once with this box, and sealing or opening a secret waits for the real one (or fails with its
 * reason).
 */
import type { SecretBox } from './secret-box';

export class DeferredSecretBox implements SecretBox {
  #box: SecretBox | undefined;
  readonly #ready: Promise<SecretBox>;

  constructor(box: Promise<SecretBox>) {
    this.#ready = box.then((ready) => (this.#box = ready));
    // Failures reach whoever seals or opens; nothing else may see an unhandled rejection.
    this.#ready.catch(() => undefined);
  }

  /** 'pending' until the system's secret storage has answered. */
  get protection(): SecretBox['protection'] {
    return this.#box?.protection ?? 'pending';
  }

  /** Resolves once the real box is there (rejects when there is none). */
  ready(): Promise<SecretBox> {
    return this.#ready;
  }

  async seal(plain: string): Promise<string> {
    return (await this.#ready).seal(plain);
  }

  async open(sealed: string): Promise<string> {
    return (await this.#ready).open(sealed);
  }

  async openChecked(sealed: string): Promise<{ plain: string; reseal: boolean }> {
    const box = await this.#ready;
    return box.openChecked ? box.openChecked(sealed) : { plain: await box.open(sealed), reseal: false };
  }
}
