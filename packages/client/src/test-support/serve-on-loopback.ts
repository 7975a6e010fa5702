// A real HTTP server on 127.0.0.1 and an ephemeral port, answering from a test-supplied function.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Drop the connection without answering (a network failure for the client). */
  readonly destroy?: boolean;
}

export interface LoopbackServer {
  readonly origin: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function serveOnLoopback(
  answer: (request: ReceivedRequest) => Reply | Promise<Reply>,
): Promise<LoopbackServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(request);
      Promise.resolve(answer(request)).then(
        (reply) => {
          if (reply.destroy) return void req.socket.destroy();
          const body = Buffer.from(reply.body ?? '');
          res.writeHead(reply.status, { 'content-length': String(body.length), ...reply.headers });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Parses a received multipart body with the platform's own parser, keeping part order. */
export async function readMultipart(request: ReceivedRequest): Promise<Array<[string, string | File]>> {
  const contentType = request.headers['content-type'] ?? '';
  const form = await new Response(new Uint8Array(request.body), {
    headers: { 'content-type': contentType },
  }).formData();
  return [...form.entries()];
}
