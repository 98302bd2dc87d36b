/**
 * Which socket a D-Bus address names (main/linux/dbus-connection.ts abstractSocket): D-Bus tries
 * the entries of an address list in order, and escapes bytes as %xx (dbus-specification,
 * "Server Addresses").
 */
import { describe, expect, it } from 'vitest';
import { abstractSocket } from '../../main/linux/dbus-connection';

describe('abstract D-Bus socket addresses', () => {
  it('reads the abstract name of the first entry, unescaped, and nothing else', () => {
    expect(abstractSocket('unix:abstract=/tmp/dbus-XyZ,guid=0123')).toBe('/tmp/dbus-XyZ');
    expect(abstractSocket('unix:guid=0123,abstract=/tmp/dbus-a%20b')).toBe('/tmp/dbus-a b');
    expect(abstractSocket('unix:abstract=/tmp/dbus-1;unix:path=/run/user/1000/bus')).toBe('/tmp/dbus-1');
    expect(abstractSocket('unix:path=/run/user/1000/bus;unix:abstract=/tmp/dbus-1')).toBeUndefined();
    expect(abstractSocket('unix:path=/run/user/1000/bus')).toBeUndefined();
    expect(abstractSocket('tcp:host=localhost,port=1234')).toBeUndefined();
    expect(abstractSocket('unix:abstract=')).toBeUndefined();
  });
});
