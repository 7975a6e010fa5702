// Test helper: one raw HTTP/1.1 exchange with node:http against 127.0.0.1, with full control of the
// Host header (fetch forbids setting it), returning status, headers and the body as text.
import { request, type IncomingHttpHeaders } from 'node:http';

export interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ExchangeOptions {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export function exchange(port: number, options: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends a full URL's path and query to 127.0.0.1:`port` with the URL's own host as `Host`. */
export function exchangeUrl(
  port: number,
  url: string,
  options: Omit<ExchangeOptions, 'path'> = {},
): Promise<Exchange> {
  const parsed = new URL(url);
  return exchange(port, {
    ...options,
    path: `${parsed.pathname}${parsed.search}`,
    headers: { host: parsed.host, ...options.headers },
  });
}
