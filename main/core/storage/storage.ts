/**
 * Persistence for the engine: typed JSON values under string keys, each read and written through
 * a schema. The backend is electron-store in the app and its base, `conf`, in Node (same API,
 * atomic writes). A value that fails its schema is kept aside and reported, never silently lost;
 * a file that is not JSON at all is moved aside by `openRecovering`.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
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
  /** For a list read record by record: how many records were set aside, and how many kept. */
  setAside?: number;
  kept?: number;
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

  /**
   * A list read record by record: one malformed record must not take the good ones with it (one
   * bad account hid every portal; one bad outbox entry set aside every queued answer). Bad records
   * are kept aside under `unreadable:<key>:<time>` and reported with counts; the good ones are
   * written back and returned. Anything that is not a list at all is set aside whole, as `read`.
   */
  readList<T>(key: string, itemSchema: v.GenericSchema<unknown, T>): T[] | undefined {
    if (!this.backend.has(key)) return undefined;
    const raw = this.backend.get(key);
    if (!Array.isArray(raw)) return this.read(key, v.array(itemSchema));
    const good: T[] = [];
    const bad: unknown[] = [];
    const reasons = new Set<string>();
    for (const record of raw) {
      const parsed = v.safeParse(itemSchema, record);
      if (parsed.success) good.push(parsed.output);
      else {
        bad.push(record);
        reasons.add(v.summarize(parsed.issues));
      }
    }
    if (bad.length === 0) return good;
    const keptAs = `unreadable:${key}:${this.now()}`;
    this.backend.set(keptAs, bad);
    this.backend.set(key, good);
    this.report({
      key,
      keptAs,
      setAside: bad.length,
      kept: good.length,
      message: `${bad.length} of ${raw.length} records in “${key}” did not match their schema and were set aside (${[...reasons].join('; ')})`,
    });
    return good;
  }

  /** Validates before writing: the engine never persists a value it could not read back. */
  write<T>(key: string, schema: v.GenericSchema<unknown, T>, value: T): void {
    this.backend.set(key, v.parse(schema, value));
  }

  remove(key: string): void {
    this.backend.delete(key);
  }
}

/** Storage that lives only in memory: the last resort when the settings file cannot be used at all. */
export class MemoryBackend implements KeyValueBackend {
  readonly #values = new Map<string, unknown>();
  get(key: string): unknown {
    return structuredClone(this.#values.get(key));
  }
  set(key: string, value: unknown): void {
    this.#values.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.#values.delete(key);
  }
  has(key: string): boolean {
    return this.#values.has(key);
  }
}

/** Errors that say the file is there but cannot be used as a settings file. */
const UNUSABLE_FILE_CODES = new Set(['EISDIR', 'EACCES', 'EPERM', 'ENOTDIR', 'ELOOP', 'EINVAL']);

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
}

/**
 * Opens a file-backed store so that start-up never fails on the file itself:
 * - not JSON → moved aside, a fresh file started;
 * - not a regular file (a folder, a pipe, a link loop) or unreadable → moved aside if possible
 *   (a pipe is never read: reading one would block start-up), a fresh file started;
 * - if even that fails, the app runs on defaults in memory and says its changes will not be kept.
 * Each case is reported, so the window can tell the user what happened and where the old file is.
 */
export function openRecovering<B extends KeyValueBackend>(options: { filePath: string; create: () => B; report: ReportProblem; now?: () => number }): B | MemoryBackend {
  const now = options.now ?? Date.now;
  const moveAside = (suffix: string, message: string): boolean => {
    const keptAs = `${options.filePath}.${suffix}-${now()}`;
    try {
      renameSync(options.filePath, keptAs);
    } catch {
      return false;
    }
    options.report({ key: undefined, keptAs, message });
    return true;
  };
  const inMemory = (reason: string): MemoryBackend => {
    options.report({ key: undefined, keptAs: options.filePath, message: `The settings file ${reason} and could not be moved aside; B24 Notify runs on default settings and cannot keep changes until it is fixed.` });
    return new MemoryBackend();
  };
  let kind: 'file' | 'missing' | 'other' | 'broken';
  try {
    kind = statSync(options.filePath).isFile() ? 'file' : 'other';
  } catch (error) {
    kind = errorCode(error) === 'ENOENT' ? 'missing' : 'broken';
  }
  if (kind === 'other' || kind === 'broken') {
    const reason = kind === 'other' ? 'is not a regular file' : 'cannot be opened';
    if (!moveAside('unusable', `The settings file ${reason}; it was moved aside and a new one started with default settings.`)) return inMemory(reason);
  }
  try {
    return options.create();
  } catch (error) {
    if (error instanceof SyntaxError && existsSync(options.filePath)) {
      if (!moveAside('corrupt', `The settings file was damaged (${error.message}); it was moved aside and a new one started.`)) return inMemory('is damaged');
      return options.create();
    }
    const code = errorCode(error);
    if (code && UNUSABLE_FILE_CODES.has(code)) {
      if (!moveAside('unusable', `The settings file could not be read (${code}); it was moved aside and a new one started with default settings.`)) return inMemory(`could not be read (${code})`);
      try {
        return options.create();
      } catch {
        return inMemory(`could not be read (${code})`);
      }
    }
    throw error;
  }
}
