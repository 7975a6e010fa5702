// A node:http listener that binds before it has its handler: the demo must know its own origin (port 0
// picks one) before the storage server starts with that origin in its CORS rule. Until the handler is
// set, requests get 503; the "Open …" line is printed only after the handler is in place.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { NodeHandler } from '@upcall/app-kit';

export interface HttpListener {
  readonly server: Server;
  /** `http://<host>:<port>` with the actual port. */
  readonly url: string;
  setHandler(handler: NodeHandler): void;
  /** Stops accepting; in-flight requests get up to graceMs, then every connection is closed. */
  close(graceMs: number): Promise<void>;
  /** Cuts the grace period short (a second Ctrl-C). */
  closeAllConnections(): void;
}

const drainPollMs = 50;

export async function listenHttp(host: string, port: number): Promise<HttpListener> {
  let handler: NodeHandler = (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
    res.end('Starting…\n');
  };
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => handler(req, res));
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  const drain = async (graceMs: number): Promise<void> => {
    const closed = once(server, 'close');
    server.close();
    server.closeIdleConnections();
    const poll = setInterval(() => server.closeIdleConnections(), drainPollMs);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    try {
      await closed;
    } finally {
      clearInterval(poll);
      clearTimeout(deadline);
    }
  };
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    setHandler: (next) => {
      handler = next;
    },
    close: (graceMs) => (closing ??= drain(graceMs)),
    closeAllConnections: () => server.closeAllConnections(),
  };
}
