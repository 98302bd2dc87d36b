/**
 * A remote-looking portal host on loopback: an undici Agent that resolves one name (say
 * box.example.com) to 127.0.0.1, so a simulator can stand for an on-premise box reached by its
 * name. Handed to the app as its dispatcherFactory (the seam the proxy router uses); other names
 * resolve as the system resolves them.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'undici';
import type { DispatcherFactory } from '../../main/core/portal/http';

export function namedHostAgent(hostname: string, connect: { ca?: string } = {}): { agent: Agent; dispatcherFactory: DispatcherFactory } {
  const lookup = (name: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    if (name !== hostname) return void dnsLookup(name, options, callback);
    if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
    callback(null, '127.0.0.1', 4);
  };
  const agent = new Agent({ connect: { lookup, ...connect } });
  return { agent, dispatcherFactory: () => Promise.resolve({ dispatcher: agent }) };
}
