/**
 * The log as someone reading it after a problem sees it (issue 18's survivors in main/core/log):
 * where the file rotates, that a closed log lets go of its file, what the hub activity lines say
 * and when they repeat, and the logger's own edges (levels from settings, late sinks, arguments).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../main/core/emitter';
import type { HubEvents, HubSnapshot, NotificationHub } from '../../main/core/app/hub';
import type { AccountState, ConnectionState, InboxItem } from '../../main/core/engine/state';
import { FileSink } from '../../main/core/log/file-sink';
import { logHubActivity } from '../../main/core/log/hub-log';
import { Logger, isLogLevel, type LogLevel, type LogSink } from '../../main/core/log/logger';

const logDir = (): string => mkdtempSync(join(tmpdir(), 'b24-log-'));
const read = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '<none>');
/** Descriptors this process holds on `path` (Linux /proc). */
const openHandles = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

describe('FileSink', () => {
  it('fills the file up to the limit exactly, and rotates only past it', () => {
    const dir = logDir();
    const sink = new FileSink({ dir, maxBytes: 10 });
    sink.write('1234'); // 5 bytes with the newline
    sink.write('abcd'); // 10: at the limit, not past it
    expect(read(sink.path)).toBe('1234\nabcd\n');
    expect(existsSync(sink.oldPath)).toBe(false);
    sink.write('z'); // 12 would be past it
    expect(read(sink.oldPath)).toBe('1234\nabcd\n');
    expect(read(sink.path)).toBe('z\n');
    sink.close();
  });

  it('counts bytes, not characters', () => {
    const dir = logDir();
    const sink = new FileSink({ dir, maxBytes: 8 });
    sink.write('жж'); // 5 bytes
    sink.write('ж'); // 3 more: 8
    expect(existsSync(sink.oldPath)).toBe(false);
    sink.write('ы');
    expect(read(sink.oldPath)).toBe('жж\nж\n');
    expect(read(sink.path)).toBe('ы\n');
    sink.close();
  });

  it('an empty log never rotates, even for a line longer than the limit', () => {
    const dir = logDir();
    const sink = new FileSink({ dir, maxBytes: 4 });
    sink.write('a line longer than four bytes');
    expect(existsSync(sink.oldPath)).toBe(false);
    sink.close();
  });

  it('lets go of its file when closed, and opens it again for a later line', () => {
    const dir = logDir();
    const sink = new FileSink({ dir });
    sink.write('one');
    expect(openHandles(sink.path)).toBe(1);
    sink.close();
    expect(openHandles(sink.path)).toBe(0);
    sink.close(); // twice is harmless
    sink.write('two');
    expect(read(sink.path)).toBe('one\ntwo\n');
    expect(openHandles(sink.path)).toBe(1);
    sink.close();
  });

  it('when the old log cannot be replaced, starts the current one afresh rather than grow without bound', () => {
    const dir = logDir();
    mkdirSync(join(dir, 'main.old.log', 'held'), { recursive: true }); // a rename onto a non-empty folder fails
    const sink = new FileSink({ dir, maxBytes: 10 });
    sink.write('12345678');
    sink.write('next');
    expect(read(sink.path)).toBe('next\n');
    sink.write('more'); // counted from the fresh start: 10 bytes, no rotation attempt
    expect(read(sink.path)).toBe('next\nmore\n');
    sink.close();
  });

  it('after a restart, counts what the file already holds', () => {
    const dir = logDir();
    writeFileSync(join(dir, 'main.log'), '123456789\n');
    const sink = new FileSink({ dir, maxBytes: 12 });
    sink.write('ab');
    expect(read(sink.oldPath)).toBe('123456789\n');
    expect(read(sink.path)).toBe('ab\n');
    sink.close();
  });
});

describe('hub activity in the log', () => {
  const state = (accountId: string, connection: ConnectionState): AccountState => ({
    accountId,
    portalOrigin: `https://${accountId}.bitrix24.com`,
    connection,
    inbox: [],
    unreadCount: 0,
    lastSyncAt: undefined,
    skippedItems: 0,
  });
  const snapshot = (...accounts: [string, ConnectionState][]): HubSnapshot => ({
    accounts: accounts.map(([accountId, connection]) => ({ accountId, name: accountId, state: state(accountId, connection) })),
    unreadCount: 0,
  });
  const setup = () => {
    // The hub's events as the hub emits them (main/core/app/hub.ts HubEvents), through the same Emitter.
    const events = new Emitter<HubEvents>();
    const lines: [LogLevel, string][] = [];
    const off = logHubActivity({ on: events.on.bind(events) } as unknown as NotificationHub, (level, message) => lines.push([level, message]));
    return { events, lines, off };
  };

  it('logs each portal’s connection once per change, warnings for what needs the user', () => {
    const { events, lines } = setup();
    events.emit('changed', snapshot(['a', { status: 'connecting' }], ['b', { status: 'ok' }]));
    events.emit('changed', snapshot(['a', { status: 'ok' }], ['b', { status: 'ok' }]));
    events.emit('changed', snapshot(['a', { status: 'ok' }], ['b', { status: 'auth-needed', message: 'Sign in again' }]));
    events.emit('changed', snapshot(['a', { status: 'ok' }], ['b', { status: 'auth-needed', message: 'Sign in again' }]));
    expect(lines).toEqual([
      ['info', 'account a (https://a.bitrix24.com): connecting'],
      ['info', 'account b (https://b.bitrix24.com): ok'],
      ['info', 'account a (https://a.bitrix24.com): ok'],
      ['warn', 'account b (https://b.bitrix24.com): auth-needed: Sign in again'],
    ]);
  });

  it('a portal removed and connected again is logged afresh', () => {
    const { events, lines } = setup();
    events.emit('changed', snapshot(['a', { status: 'ok' }], ['b', { status: 'ok' }]));
    events.emit('changed', snapshot(['b', { status: 'ok' }]));
    events.emit('changed', snapshot(['a', { status: 'ok' }], ['b', { status: 'ok' }]));
    expect(lines.map(([, message]) => message)).toEqual([
      'account a (https://a.bitrix24.com): ok',
      'account b (https://b.bitrix24.com): ok',
      'account a (https://a.bitrix24.com): ok',
    ]);
  });

  it('names what was announced, answered and removed by id, never by text', () => {
    const { events, lines } = setup();
    const item = (id: number, kind: 'confirm' | 'plain'): InboxItem => ({ id, kind, text: 'private words' }) as unknown as InboxItem;
    events.emit('announced', 'a', [item(5, 'confirm'), item(6, 'plain')]);
    events.emit('actionSettled', 'a', 5, { kind: 'confirm', value: 'Y', status: 'done' } as never);
    events.emit('actionSettled', 'a', 7, { kind: 'confirm', value: 'N', status: 'done', gone: true } as never);
    events.emit('actionSettled', 'a', 8, { kind: 'reply', value: 'private words', status: 'failed', message: 'Portal refused' } as never);
    events.emit('removed', 'a', [5, 6]);
    expect(lines).toEqual([
      ['info', 'account a: 2 new notification(s): #5 confirm, #6 plain'],
      ['info', 'account a: confirm "Y" on #5 done'],
      ['info', 'account a: confirm "N" on #7 done (already gone from the portal)'],
      ['warn', 'account a: reply on #8 failed: Portal refused'],
      ['debug', 'account a: gone from the portal: #5, #6'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('private words');
  });

  it('stops logging once unsubscribed', () => {
    const { events, lines, off } = setup();
    off();
    events.emit('changed', snapshot(['a', { status: 'ok' }]));
    events.emit('announced', 'a', []);
    events.emit('actionSettled', 'a', 1, { kind: 'reply', value: 'x', status: 'done' } as never);
    events.emit('removed', 'a', [1]);
    expect(lines).toEqual([]);
  });
});

describe('Logger edges', () => {
  const memory = (): LogSink & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, write: (line) => void lines.push(line) };
  };

  it('accepts only the four level names from settings', () => {
    expect(['error', 'warn', 'info', 'debug'].filter(isLogLevel)).toHaveLength(4);
    for (const bad of ['', 'trace', 'constructor', 'hasOwnProperty', 3, null, undefined, { level: 'info' }]) expect(isLogLevel(bad)).toBe(false);
  });

  it('says its level, and writes to sinks added later', () => {
    const first = memory();
    const logger = new Logger({ level: 'warn', sinks: [first], now: () => 0 });
    expect(logger.level).toBe('warn');
    const late = memory();
    logger.addSink(late);
    logger.warn('hello');
    expect(first.lines).toEqual(['1970-01-01T00:00:00.000Z WARN  hello']);
    expect(late.lines).toEqual(first.lines);
  });

  it('starts with no sinks unless given some', () => {
    const logger = new Logger();
    expect(logger.level).toBe('info');
    expect(() => logger.info('nowhere')).not.toThrow();
  });

  it('masks secrets registered by the bound addSecret, also in redact()', () => {
    const sink = memory();
    const logger = new Logger({ sinks: [sink] });
    const register = logger.addSecret;
    register('s3cr3tcode42', undefined, null);
    logger.info('got s3cr3tcode42');
    expect(sink.lines[0]).not.toContain('s3cr3tcode42');
    expect(logger.redact('x s3cr3tcode42 y')).not.toContain('s3cr3tcode42');
    expect(logger.redact('x plain y')).toBe('x plain y');
  });

  it('formats string arguments as they are and others as inspect shows them', () => {
    const sink = memory();
    const logger = new Logger({ sinks: [sink], now: () => 0 });
    logger.info('values', 'it\'s', 3, { a: 'b' });
    expect(sink.lines[0]).toBe('1970-01-01T00:00:00.000Z INFO  values it\'s 3 { a: \'b\' }');
  });

  it('closes its sinks once, and writes nothing after', () => {
    let closed = 0;
    const sink = { ...memory(), close: () => void closed++ };
    const logger = new Logger({ sinks: [sink] });
    logger.close();
    logger.close();
    logger.info('after');
    expect(closed).toBe(1);
    expect(sink.lines).toEqual([]);
  });

  it('by default says on stderr, once, that a sink failed', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const logger = new Logger({ sinks: [{ write: () => { throw new Error('disk full'); } }] });
      logger.info('one');
      logger.info('two');
      expect(stderr.mock.calls.map(([text]) => text)).toEqual(['[b24-notify] a log sink failed: Error: disk full\n']);
    } finally {
      stderr.mockRestore();
    }
  });

  it('masks an authorization header’s value and keeps its name and scheme', () => {
    expect(new Logger().redact('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer ***');
  });
});
