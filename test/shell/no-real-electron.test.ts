/**
 * The real `electron` module tries to download its binary when imported in Node, which fails on
 * machines without GitHub. Every test file that imports it must mock it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return /\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

const IMPORTS_ELECTRON = /from\s+['"]electron['"]|import\(\s*['"]electron['"]\s*\)|require\(\s*['"]electron['"]\s*\)/;
const MOCKS_ELECTRON = /vi\.mock\(\s*['"]electron['"]/;

describe('tests and the electron module', () => {
  it('every test file that imports electron, directly or through main/electron, mocks it', () => {
    const offenders = testFiles(join(root, 'test'))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return (IMPORTS_ELECTRON.test(text) || /main\/electron\/|main\/index|main\/preload/.test(text)) && !MOCKS_ELECTRON.test(text);
      })
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('every test file that reaches electron-store (which requires the real electron itself) mocks it', () => {
    const offenders = testFiles(join(root, 'test'))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return /main\/index|main\/electron\/app-storage|from\s+['"]electron-store['"]/.test(text) && !/vi\.mock\(\s*['"]electron-store['"]/.test(text);
      })
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
