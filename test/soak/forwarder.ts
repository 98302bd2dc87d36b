/**
 * A second origin for the same simulated portal: a TCP forwarder on another loopback port (or
 * another loopback address, standing for another host). A 302 to it is a domain change the user
 * may accept, while the data stays one portal's; `connections` tells whether anything was sent.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Forwarder {
  origin: string;
  /** Connections accepted so far: 0 means not a byte of any request reached this origin. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startForwarder(target: URL, host = '127.0.0.1'): Promise<Forwarder> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    connections += 1;
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // A connection the portal drops must look dropped to the client too, and the other way round.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
