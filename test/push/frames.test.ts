/**
 * Oracles: the message shapes in real-portal-notes.md §4 (v4 `format=json` array of
 * {id, mid, channel, tag, time, text:{module_id, command, params, extra}}; older
 * `#!NGINXNMS!#…#!NGINXNME!#` wrapper; notify commands from MOD im_notify.php).
 */
import { describe, expect, it } from 'vitest';
import { meaningOf, parseFrame } from '../../main/core/push/frames';
import { connectionUrl, parsePushConfig } from '../../main/core/push/config';
import { reconnectDelayMs, restartDelayMs } from '../../main/core/push/backoff';

const envelope = (moduleId: string, command: string, mid = 'm1') => ({
  id: 'x',
  mid,
  channel: 'c',
  tag: '',
  time: '2026-12-05T09:00:00+00:00',
  text: { module_id: moduleId, command, params: { id: 7 }, extra: {} },
});

describe('push frames', () => {
  it('reads a v4 JSON array frame', () => {
    const frame = parseFrame(JSON.stringify([envelope('im', 'notifyAdd'), envelope('im', 'message', 'm2')]));
    expect(frame).toEqual({
      kind: 'messages',
      messages: [
        { mid: 'm1', moduleId: 'im', command: 'notifyAdd', params: { id: 7 } },
        { mid: 'm2', moduleId: 'im', command: 'message', params: { id: 7 } },
      ],
    });
  });

  it('reads NGINX-wrapped chunks, with text as a JSON string as older servers send it', () => {
    const old = { ...envelope('im', 'notifyRead', 'm9'), text: JSON.stringify(envelope('im', 'notifyRead').text) };
    const text = `#!NGINXNMS!#${JSON.stringify(envelope('pull', 'channel_expire', 'm8'))}#!NGINXNME!##!NGINXNMS!#${JSON.stringify(old)}#!NGINXNME!#`;
    const frame = parseFrame(text);
    expect(frame.kind === 'messages' && frame.messages.map((m) => [m.mid, m.command])).toEqual([
      ['m8', 'channel_expire'],
      ['m9', 'notifyRead'],
    ]);
  });

  it('drops garbage and oversized frames without throwing', () => {
    expect(parseFrame('{not json')).toEqual({ kind: 'dropped', reason: 'malformed' });
    expect(parseFrame('[1,')).toEqual({ kind: 'dropped', reason: 'malformed' });
    expect(parseFrame('ping')).toEqual({ kind: 'dropped', reason: 'malformed' });
    expect(parseFrame(`[${'"x",'.repeat(70_000)}"x"]`)).toEqual({ kind: 'dropped', reason: 'oversized' });
    // Multi-byte text: 100k characters of 3 UTF-8 bytes each, 300 KB.
    expect(parseFrame(`["${'€'.repeat(100_000)}"]`, 256 * 1024)).toEqual({ kind: 'dropped', reason: 'oversized' });
    expect(parseFrame('[null, 3, {"text": 5}]')).toEqual({ kind: 'messages', messages: [] });
  });

  it('only im notify* commands and pull lifecycle commands mean anything', () => {
    const m = (moduleId: string, command: string) => ({ mid: undefined, moduleId, command, params: {} });
    for (const command of ['notifyAdd', 'notifyConfirm', 'notifyRead', 'notifyUnread', 'notifyReadAll', 'notifyDelete', 'notifyDeleteAll']) {
      expect(meaningOf(m('im', command))).toBe('notify');
    }
    expect(meaningOf(m('im', 'message'))).toBe('ignored');
    expect(meaningOf(m('online', 'userStatus'))).toBe('ignored');
    expect(meaningOf(m('tasks', 'notifyAdd'))).toBe('ignored');
    expect(meaningOf(m('pull', 'channel_expire'))).toBe('channel-expire');
    expect(meaningOf(m('pull', 'config_expire'))).toBe('config-expire');
    expect(meaningOf(m('pull', 'server_restart'))).toBe('server-restart');
  });
});

describe('pull.config.get', () => {
  const result = {
    server: { version: 4, server_enabled: true, websocket_enabled: true, websocket: 'ws://127.0.0.1:9/sub/', websocket_secure: 'wss://rt.example/sub/' },
    channels: { private: { id: 'priv123', end: '2026-12-05T21:00:00+00:00' }, shared: { id: 'shared456', end: '2026-12-05T20:00:00+00:00' } },
    exp: Date.UTC(2026, 11, 5, 22) / 1000,
    clientId: 'client789',
  };

  it('builds the connection URL the docs give, with mid only on reconnect', () => {
    const availability = parsePushConfig(result, 'https://portal.example');
    if (availability.status !== 'on') throw new Error(availability.status);
    expect(availability.config.expiresAtMs).toBe(Date.UTC(2026, 11, 5, 20));
    const url = new URL(connectionUrl(availability.config, undefined));
    expect(url.origin + url.pathname).toBe('wss://rt.example/sub/');
    expect(url.searchParams.get('CHANNEL_ID')).toBe('priv123/shared456');
    expect(url.searchParams.get('clientId')).toBe('client789');
    expect(url.searchParams.get('format')).toBe('json');
    expect(url.searchParams.has('mid')).toBe(false);
    expect(new URL(connectionUrl(availability.config, 'm5')).searchParams.get('mid')).toBe('m5');
    const loopback = parsePushConfig(result, 'http://127.0.0.1:8080');
    expect(loopback.status === 'on' && loopback.config.socketUrl).toBe('ws://127.0.0.1:9/sub/');
  });

  it('says "not offered" for a disabled server and for version 5, which we do not speak', () => {
    expect(parsePushConfig({ ...result, server: { ...result.server, server_enabled: false } }, 'https://p.example')).toEqual({
      status: 'not-offered',
      reason: 'server-disabled',
    });
    expect(parsePushConfig({ ...result, server: { ...result.server, version: 5 }, jwt: 'a.b.c' }, 'https://p.example')).toEqual({
      status: 'not-offered',
      reason: 'unsupported-version',
    });
  });
});

describe('reconnect waits', () => {
  it('follow 0.5, 5, 25, 45, 60 s with at most 20 % jitter, then stay at 60 s', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => reconnectDelayMs(n, () => 0))).toEqual([500, 5_000, 25_000, 45_000, 60_000, 60_000]);
    expect(reconnectDelayMs(1, () => 0.999)).toBeLessThanOrEqual(600);
    expect(restartDelayMs(() => 0)).toBe(10_000);
    expect(restartDelayMs(() => 1)).toBe(120_000);
  });
});
