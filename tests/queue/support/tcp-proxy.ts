/**
 * A TCP proxy in front of a real service (PostgreSQL here) that a test can cut: `cut()` destroys every
 * open connection and stops listening (new connections are refused, as with a stopped server);
 * `restore()` listens again on the same port. Plain node:net, so the test needs no extra tool.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export interface TcpProxy {
  readonly port: number;
  /** Connections made through the proxy so far. */
  readonly connections: () => number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let made = 0;
  const serve = (): Server =>
    createServer((client) => {
      made++;
      const upstream = connect(target.port, target.host);
      open.add(client).add(upstream);
      const drop = (): void => {
        open.delete(client);
        open.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
  let server = serve();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of open) s.destroy();
    open.clear();
    await closed;
  };
  return {
    port,
    connections: () => made,
    cut: stop,
    async restore() {
      server = serve();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}

/** The same PostgreSQL URL through the proxy. */
export function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const u = new URL(databaseUrl);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
