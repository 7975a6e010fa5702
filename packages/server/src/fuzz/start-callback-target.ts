// A loopback callback target for the fuzz run: records each callback body and answers as an application
// server would (200, JSON, with Content-Length — oss-protocol §9.6). Bound to 127.0.0.1 only.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackTarget {
  readonly url: string;
  /** Bodies of the callbacks received so far, in arrival order. */
  readonly bodies: readonly string[];
  close(): Promise<void>;
}

export async function startCallbackTarget(): Promise<CallbackTarget> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      const reply = '{"Status":"OK"}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
      res.end(reply);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
    bodies,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
