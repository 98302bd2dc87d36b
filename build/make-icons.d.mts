// Types for build/make-icons.mjs, for the test that regenerates the icons.
export declare const APP_ICON_SIZE: number;
export declare const LINUX_SIZES: readonly number[];
export declare const ICO_SIZES: readonly number[];
export declare function drawAppIcon(size: number): Buffer;
export declare function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer;
export declare function makeIcons(buildDir: string): string[];
