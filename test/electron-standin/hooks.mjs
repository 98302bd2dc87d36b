/** Resolve hook (node:module register, from register.mjs): 'electron' is the stand-in. */
const standin = new URL('./electron.cjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: standin, format: 'commonjs', shortCircuit: true };
  return next(specifier, context);
}
