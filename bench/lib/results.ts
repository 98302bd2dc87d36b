/**
 * bench/results.json (gitignored): every section's figures. Sections are merged in, so a figure
 * written by one script (bench:action, bench:window) survives a run of another.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = new URL('../results.json', import.meta.url);

export function machine(): Record<string, unknown> {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Sections are replaced whole; `superseded` names keys of older layouts to drop. */
export function mergeResults(sections: Record<string, unknown>, superseded: string[] = []): void {
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    stored = {};
  }
  for (const key of superseded) delete stored[key];
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...stored, ...sections }, null, 2)}\n`);
}

/** True when `importMetaUrl` is the script node was started with (not imported by another). */
export function isMainScript(importMetaUrl: string): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(importMetaUrl));
  } catch {
    return false;
  }
}
