import type { Api } from '../../main/preload';

declare global {
  interface Window {
    /** Present inside Electron (preload) and in the preview; absent in a plain browser tab. */
    api?: Api;
  }
}

export function getApi(): Api | undefined {
  return window.api;
}
