// Test support: serve one node:http request listener on 127.0.0.1 (ephemeral port) and make plain HTTP
// requests to it with node:http, so request targets go out byte for byte.
import { createServer, request as httpRequest, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

export async function serveOnLoopback(listener: RequestListener): Promise<TestServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly json: () => unknown;
}

export function sendHttp(
  port: number,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<TestResponse> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers = {
    ...options.headers,
    ...(body === undefined ? {} : { 'content-length': String(body.length) }),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: bytes,
          json: () => JSON.parse(bytes.toString('utf8')) as unknown,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
