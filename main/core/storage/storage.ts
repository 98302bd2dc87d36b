/**
 * Persistence for the engine: typed JSON values under string keys, each read and written through
 * a schema. The backend is electron-store in the app and its base, `conf`, in Node (same API,
 * atomic writes). A value that fails its schema is kept aside and reported, never silently lost;
 * a file that is not JSON at all is moved aside by `openRecovering`.
 */
import { existsSync, renameSync } from 'node:fs';
import * as v from 'valibot';

/** What conf and electron-store have in common (with `accessPropertiesByDotNotation: false`). */
export interface KeyValueBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
}

export interface StorageProblem {
  key: string | undefined;
  message: string;
  /** Where the unreadable data was kept. */
  keptAs: string;
}

export type ReportProblem = (problem: StorageProblem) => void;

export class Storage {
  constructor(
    private readonly backend: KeyValueBackend,
    private readonly report: ReportProblem,
    private readonly now: () => number = Date.now,
  ) {}

  read<T>(key: string, schema: v.GenericSchema<unknown, T>): T | undefined {
    if (!this.backend.has(key)) return undefined;
    const raw = this.backend.get(key);
    const parsed = v.safeParse(schema, raw);
    if (parsed.success) return parsed.output;
    const keptAs = `unreadable:${key}:${this.now()}`;
    this.backend.set(keptAs, raw);
    this.backend.delete(key);
    this.report({ key, keptAs, message: `Stored “${key}” did not match its schema: ${v.summarize(parsed.issues)}` });
    return undefined;
  }

  /** Validates before writing: the engine never persists a value it could not read back. */
  write<T>(key: string, schema: v.GenericSchema<unknown, T>, value: T): void {
    this.backend.set(key, v.parse(schema, value));
  }

  remove(key: string): void {
    this.backend.delete(key);
  }
}

/**
 * Opens a file-backed store; if its file is not valid JSON, moves the file aside (so nothing is
 * lost), reports it, and opens a fresh one.
 */
export function openRecovering<B>(options: { filePath: string; create: () => B; report: ReportProblem; now?: () => number }): B {
  try {
    return options.create();
  } catch (error) {
    if (!(error instanceof SyntaxError) || !existsSync(options.filePath)) throw error;
    const keptAs = `${options.filePath}.corrupt-${(options.now ?? Date.now)()}`;
    renameSync(options.filePath, keptAs);
    options.report({ key: undefined, keptAs, message: `The settings file was damaged (${error.message}); it was moved aside and a new one started.` });
    return options.create();
  }
}
