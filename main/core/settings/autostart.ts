/** Launch at login, per platform behind one seam. */
export interface Autostart {
  /** False where the platform offers no way (the preview, for one). */
  readonly supported: boolean;
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

export const NO_AUTOSTART: Autostart = {
  supported: false,
  isEnabled: async () => false,
  setEnabled: async () => {
    throw new Error('Launch at login is not available here.');
  },
};
