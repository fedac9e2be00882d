/**
 * A loopback TCP relay to a server, for tests that need the server to be unreachable without
 * stopping it (it is shared with every other test running meanwhile): clients connect to the
 * relay's port; `cut()` closes the port and every open connection, so each later call is
 * refused as if the server were down; `restore()` listens on the same port again.
 */
import net from 'node:net';

export interface TcpRelay {
  /** `http://127.0.0.1:{port}`: the server's URL, through the relay. */
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
}

/** A relay forwarding to `target`'s host and port, listening until cut. */
export const openTcpRelay = async (target: URL): Promise<TcpRelay> => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut: async () => {
      if (!server.listening) return;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    restore: async () => {
      if (!server.listening) await listen(port);
    },
  };
};
