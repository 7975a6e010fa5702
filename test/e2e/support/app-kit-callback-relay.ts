// A recording relay between the storage server and the app (a reverse proxy in front of the app server):
// the tickets' callback URL points here, every callback storage sends is captured byte for byte (method,
// raw target, raw headers, body) and forwarded to the app. If the app cannot be reached the relay drops the
// connection without an answer, so storage sees the same failure as a dead app. A captured request is a
// genuine signed callback from storage, which the tests later re-deliver or replay (threats §C6.54–58).
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedCallback {
  readonly method: string;
  readonly target: string;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export interface RelayedAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

export interface RelayExchange {
  readonly request: CapturedCallback;
  /** The app's answer; undefined while pending or when the app could not be reached. */
  answer: RelayedAnswer | undefined;
  /** Time from forwarding the request to the app's complete answer (or to the failure). */
  appMs: number | undefined;
}

export interface CallbackRelayOptions {
  /** The app's origin now (read per callback, the app may have moved or be down). */
  readonly upstream: () => string;
  /** Runs after the callback is read, before it is forwarded: stages a fault "during the callback". */
  readonly beforeForward?: () => Promise<void>;
  /** Runs after the app answered, before the answer goes back to storage: stages a late reply. */
  readonly beforeAnswer?: () => Promise<void>;
}

export interface CallbackRelay {
  readonly origin: string;
  readonly exchanges: readonly RelayExchange[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toHeaders(rawHeaders: readonly string[]): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers[rawHeaders[i]!] = rawHeaders[i + 1]!;
  return headers;
}

/** Sends a captured callback, byte for byte, to `origin` (an app server on 127.0.0.1). */
export function sendCapturedCallback(callback: CapturedCallback, origin: string): Promise<RelayedAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: callback.method,
        path: callback.target,
        headers: toHeaders(callback.rawHeaders),
        agent: false,
      },
      (res) => {
        readBody(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end(callback.body);
  });
}

export async function startCallbackRelay(options: CallbackRelayOptions): Promise<CallbackRelay> {
  const exchanges: RelayExchange[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const request: CapturedCallback = {
        method: req.method ?? 'POST',
        target: req.url ?? '/',
        rawHeaders: [...req.rawHeaders],
        body: await readBody(req),
      };
      const exchange: RelayExchange = { request, answer: undefined, appMs: undefined };
      exchanges.push(exchange);
      await options.beforeForward?.();
      const startedMs = performance.now();
      try {
        const answer = await sendCapturedCallback(request, options.upstream());
        exchange.answer = answer;
        exchange.appMs = performance.now() - startedMs;
        await options.beforeAnswer?.();
        res.writeHead(answer.status, {
          ...(answer.contentType === undefined ? {} : { 'Content-Type': answer.contentType }),
          'Content-Length': answer.body.length,
        });
        res.end(answer.body);
      } catch {
        exchange.appMs = performance.now() - startedMs;
        res.destroy(); // no answer at all: storage reports that it could not reach the callback URL
      }
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
