// One callback attempt over node:http/https (oss-protocol §9.1, §9.6; threats §B5, §C5.42–45): no
// redirects (node never follows them), one deadline for connect + reply, TLS SNI only when callbackSNI
// is true, the target policy's lookup on the address actually dialled, and the reply read only as far as
// OSS would accept it (status 200 with a Content-Length ≤ the cap), never more than cap + 1 bytes.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { CallbackRequest } from '@upcall/protocol';

export interface CallbackAttemptOptions {
  readonly timeoutMs: number;
  readonly sni: boolean;
  readonly maxResponseBytes: number;
  /** DNS resolution for host names (the target-policy guard); undefined = Node's default. */
  readonly lookup: LookupFunction | undefined;
}

export type CallbackAttemptResult =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: IncomingMessage['headers'];
      readonly bodyBytes: Buffer;
      readonly contentLength: number | undefined;
    }
  | { readonly kind: 'connect' | 'tls' | 'timeout'; readonly error: Error };

function readContentLength(res: IncomingMessage): number | undefined {
  const value = res.headers['content-length'];
  return value !== undefined && /^[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
}

function shouldReadBody(status: number, contentLength: number | undefined, maxBytes: number): boolean {
  return status === 200 && contentLength !== undefined && contentLength <= maxBytes;
}

function readCappedBody(res: IncomingMessage, capBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length > capBytes) {
        res.destroy();
        resolve(Buffer.concat(chunks, length).subarray(0, capBytes + 1));
      }
    });
    res.on('end', () => resolve(Buffer.concat(chunks, length)));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('callback reply was cut short')));
  });
}

/** node:http(s) options for one attempt; `servername: ''` is how Node is told to send no SNI. */
export function buildCallbackRequestOptions(
  request: CallbackRequest,
  options: CallbackAttemptOptions,
): https.RequestOptions {
  const { url } = request;
  const tls =
    url.protocol === 'https:'
      ? { servername: options.sni && isIP(url.hostname) === 0 ? url.hostname : '' }
      : {};
  return {
    method: request.method,
    host: url.hostname,
    port: url.port,
    path: url.requestTarget,
    headers: Object.fromEntries(request.headers),
    agent: false, // one connection per attempt, `Connection: close` as OSS sends (§9.2)
    lookup: options.lookup,
    ...tls,
  };
}

/** Starts the request; resolves with what happened. Never rejects: every failure is an attempt result. */
export function sendCallbackRequest(
  request: CallbackRequest,
  options: CallbackAttemptOptions,
): Promise<CallbackAttemptResult> {
  const transport = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(
      () => settle({ kind: 'timeout', error: new Error('callback timed out') }),
      options.timeoutMs,
    );
    function settle(result: CallbackAttemptResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(result);
    }
    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      const contentLength = readContentLength(res);
      if (!shouldReadBody(status, contentLength, options.maxResponseBytes)) {
        settle({ kind: 'response', status, headers: res.headers, bodyBytes: Buffer.alloc(0), contentLength });
        return;
      }
      readCappedBody(res, options.maxResponseBytes).then(
        (bodyBytes) => settle({ kind: 'response', status, headers: res.headers, bodyBytes, contentLength }),
        (error: Error) => settle({ kind: 'connect', error }),
      );
    };
    try {
      req = transport.request(buildCallbackRequestOptions(request, options), onResponse);
    } catch (error) {
      // Invalid options (a header value Node refuses): the target was never contacted.
      settle({ kind: 'connect', error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.on('error', (error) => {
      const duringTls = connected && request.url.protocol === 'https:';
      settle({ kind: duringTls ? 'tls' : 'connect', error });
    });
    req.end(request.body);
  });
}
