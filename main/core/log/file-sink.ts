/**
 * The log on disk: `<dir>/main.log`, moved to `main.old.log` when the next line would take it past
 * `maxBytes`, so the two files together stay under twice the limit. Lines are written with one
 * synchronous `write` on an open descriptor: a few microseconds each at this app's volume, nothing
 * to flush on exit, and the last line before a crash is on disk.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSink } from './logger';

export const LOG_FILE_NAME = 'main.log';
export const OLD_LOG_FILE_NAME = 'main.old.log';
export const DEFAULT_MAX_LOG_BYTES = 1024 * 1024;

export interface FileSinkOptions {
  dir: string;
  maxBytes?: number;
}

export class FileSink implements LogSink {
  readonly dir: string;
  readonly path: string;
  readonly oldPath: string;
  readonly #maxBytes: number;
  #fd: number | undefined;
  #sizeBytes = 0;

  constructor(options: FileSinkOptions) {
    this.dir = options.dir;
    this.path = join(options.dir, LOG_FILE_NAME);
    this.oldPath = join(options.dir, OLD_LOG_FILE_NAME);
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.#open();
  }

  write(line: string): void {
    const data = Buffer.from(`${line}\n`, 'utf8');
    if (this.#sizeBytes > 0 && this.#sizeBytes + data.length > this.#maxBytes) this.#rotate();
    if (this.#fd === undefined) this.#open();
    this.#sizeBytes += writeSync(this.#fd as number, data);
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): void {
    // Owner-only: a log names the user's portals even with every secret masked.
    this.#fd = openSync(this.path, 'a', 0o600);
    this.#sizeBytes = fstatSync(this.#fd).size;
  }

  #rotate(): void {
    this.close();
    try {
      // rename replaces the old file in one step (MoveFileEx with REPLACE_EXISTING on Windows).
      renameSync(this.path, this.oldPath);
    } catch {
      // Held open elsewhere (an editor, a virus scanner): start afresh rather than grow without bound.
      this.#fd = openSync(this.path, 'w', 0o600);
      this.#sizeBytes = 0;
      return;
    }
    this.#open();
  }
}
