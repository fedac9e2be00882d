/** Types of chromium.mjs, for the tests and benches that launch the same browser. */
export declare const findChromium: () => string | undefined;
export declare const ensureChromium: () => string | undefined;
