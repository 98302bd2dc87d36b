// electron-store's base (conf) imports Ajv and ajv-formats at the top of its module but uses them
// only when a `schema`, `ajvOptions` or `rootSchema` option is given (conf dist/source/index.js,
// #validator setup). The app passes none: what it stores is validated record by record with
// valibot (main/core/storage/storage.ts). So the main bundle leaves them out (issue 14: about
// 180 KB of app.asar) and this stands in; using it fails loudly instead of validating nothing.
const refuse = () => {
  throw new Error('Ajv is not bundled with B24 Notify: pass no schema to electron-store (see build/stubs/ajv-unused.js)');
};
export class Ajv2020 {
  constructor() {
    refuse();
  }
}
export default { default: refuse };
