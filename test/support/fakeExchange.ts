/**
 * A local stand-in for an exchange: a real HTTP server and a real WebSocket server on loopback,
 * speaking whatever the test scripts (documented messages, recorded frames, disconnects, silence).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeConnection {
  readonly socket: WebSocket;
  readonly url: string;
  /** Messages the client sent (subscriptions). */
  readonly received: string[];
}

export interface FakeExchange {
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly connections: FakeConnection[];
  /** Resolves with the n-th connection (1-based) once it is open. */
  connection(n: number): Promise<FakeConnection>;
  /** Every HTTP request's path and query. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface FakeExchangeOptions {
  readonly http?: (req: IncomingMessage, res: ServerResponse) => void;
  readonly onConnection?: (c: FakeConnection) => void;
  /** Called with every message a client sends (to answer subscriptions and keep-alives as the exchange does). */
  readonly onMessage?: (c: FakeConnection, message: string) => void;
  /** false: the server does not answer pings (a dead peer). */
  readonly autoPong?: boolean;
}

export const startFakeExchange = async (o: FakeExchangeOptions = {}): Promise<FakeExchange> => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (o.http === undefined) {
      res.writeHead(404).end('{"msg":"not here"}');
      return;
    }
    o.http(req, res);
  });
  const wss = new WebSocketServer({ server, autoPong: o.autoPong ?? true });
  const connections: FakeConnection[] = [];
  const waiters: Array<{ n: number; resolve: (c: FakeConnection) => void }> = [];
  wss.on('connection', (socket, req) => {
    const c: FakeConnection = { socket, url: req.url ?? '', received: [] };
    socket.on('message', (m: Buffer) => {
      const text = m.toString('utf8');
      c.received.push(text);
      o.onMessage?.(c, text);
    });
    connections.push(c);
    o.onConnection?.(c);
    for (const w of waiters.filter((x) => x.n === connections.length)) w.resolve(c);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    connections,
    requests,
    connection: (n) => {
      const c = connections[n - 1];
      if (c !== undefined) return Promise.resolve(c);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

