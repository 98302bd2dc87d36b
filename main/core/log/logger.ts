/**
 * The app's log: four levels, one line per event with an ISO time, and every line redacted before
 * any sink sees it, arguments included (they are formatted first, then redacted as text). Secrets
 * the app learns at run time (webhook codes, tokens, client secrets) are registered with
 * `addSecret` and masked by value from then on; known shapes (webhook paths, `auth=`, bearer
 * headers, `user:pass@`) are masked even when never registered.
 *
 * Logging never throws into its caller: a failing sink is reported once on stderr and skipped.
 */
import { inspect } from 'node:util';
import { LogRedactor } from './redact';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(SEVERITY, value);
}

export interface LogSink {
  write(line: string): void;
  close?(): void;
}

/** The narrow view handed to code that only writes (PortalClient's `log`, the notifier). */
export type LogFn = (level: LogLevel, message: string) => void;

export interface LoggerOptions {
  /** Lines below this level are dropped. Default 'info'. */
  level?: LogLevel;
  sinks?: LogSink[];
  now?: () => number;
  /** Told once per failing sink. Default: a line on stderr. */
  onSinkError?: (error: unknown) => void;
}

export class Logger {
  #level: LogLevel;
  readonly #sinks: LogSink[];
  readonly #failedSinks = new WeakSet<LogSink>();
  readonly #redactor = new LogRedactor();
  readonly #now: () => number;
  readonly #onSinkError: (error: unknown) => void;

  constructor(options: LoggerOptions = {}) {
    this.#level = options.level ?? 'info';
    this.#sinks = [...(options.sinks ?? [])];
    this.#now = options.now ?? Date.now;
    this.#onSinkError = options.onSinkError ?? ((error) => void process.stderr.write(`[b24-notify] a log sink failed: ${String(error)}\n`));
  }

  get level(): LogLevel {
    return this.#level;
  }

  setLevel(level: LogLevel): void {
    this.#level = level;
  }

  addSink(sink: LogSink): void {
    this.#sinks.push(sink);
  }

  /** Bound, so it can be handed around as a callback (`registerSecret: logger.addSecret`). */
  readonly addSecret = (...secrets: (string | undefined | null)[]): void => {
    this.#redactor.add(...secrets);
  };

  /** Redacts as the log does, for text shown elsewhere. */
  redact(text: string): string {
    return this.#redactor.redact(text);
  }

  enabled(level: LogLevel): boolean {
    return SEVERITY[level] <= SEVERITY[this.#level];
  }

  readonly log = (level: LogLevel, message: string, ...args: unknown[]): void => {
    if (!this.enabled(level)) return;
    const text = [message, ...args.map(formatArg)].join(' ');
    const line = `${new Date(this.#now()).toISOString()} ${level.toUpperCase().padEnd(5)} ${this.#redactor.redact(text)}`;
    for (const sink of this.#sinks) {
      try {
        sink.write(line);
      } catch (error) {
        if (this.#failedSinks.has(sink)) continue;
        this.#failedSinks.add(sink);
        this.#onSinkError(error);
      }
    }
  };

  error(message: string, ...args: unknown[]): void {
    this.log('error', message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.log('warn', message, ...args);
  }

  info(message: string, ...args: unknown[]): void {
    this.log('info', message, ...args);
  }

  debug(message: string, ...args: unknown[]): void {
    this.log('debug', message, ...args);
  }

  /** A writer that prefixes every message with `[scope]`, e.g. a subsystem's name. */
  scoped(scope: string): LogFn {
    return (level, message) => this.log(level, `[${scope}] ${message}`);
  }

  close(): void {
    for (const sink of this.#sinks.splice(0)) sink.close?.();
  }
}

/** Strings as they are; errors with their stack and fields; anything else as `util.inspect` shows it. */
function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  return inspect(arg, { depth: 4, breakLength: Infinity, compact: 3 });
}

/** For development: lines on stderr too (a packaged app's stderr goes nowhere). */
export const stderrSink: LogSink = {
  write: (line) => void process.stderr.write(`${line}\n`),
};
