// Forked by bench/bundle.ts under the Electron stand-in (test/electron-standin/register.mjs): how
// long Node takes to load and evaluate the main bundle (parse, compile, top-level code), reported
// to the parent; then the process ends before the app gets further.
const started = performance.now();
await import(process.argv[2]);
process.send?.({ loadMs: performance.now() - started }, () => process.exit(0));
