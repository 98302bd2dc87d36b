/** A vitest config for a mutation run: these test files, with the Node suites' options, from the repository root. */
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { nodeTestOptions } from '../../vite.config';

export function mutationSuite(include: string[]): ViteUserConfig {
  return defineConfig({ test: { root: new URL('../..', import.meta.url).pathname, include, ...nodeTestOptions } });
}
