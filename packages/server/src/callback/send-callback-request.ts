// One callback attempt over node:http/https (oss-protocol §9.1, §9.6; threats §B5, §C5.42–45): no
// redirects (node never follows them), one deadline for connect + reply, TLS SNI only when callbackSNI
// is true, the target policy's lookup on the address actually dialled, and the reply read only as far as
// OSS would accept it (status 200 with a Content-Length ≤ the cap), never more than cap + 1 bytes.
// Connections are kept alive between callbacks (docs/adr/0012; perf-notes §8), unlike OSS's observed
// `Connection: close` (§9.2): a new TCP (and TLS) connection per upload cost the app server ~20% of its
// CPU per callback. Only a connection that delivered a complete 200 reply is reused; the target policy
// ran on its address when it was dialled. A request that fails on a reused connection before any reply
// (the target closed it while idle) is sent once more on a new one, within the same deadline.
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
  /** Dial a new connection instead of reusing an idle one (set for the stale-connection retry). */
  readonly freshConnection?: boolean;
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

/**
 * Idle connections per target and how long they are kept (Node also honours `Keep-Alive: timeout=`).
 * As many as uploads can be in flight at once: with 16, a burst of 64 concurrent callbacks closed 48 of
 * its connections after every round and dialled them again on the next (a connect on both sides per
 * callback; docs/benchmarks.md, scenario 3). Idle ones cost a descriptor each and close after 4 s.
 */
const maxIdleSocketsPerTarget = 256;
const idleSocketTimeoutMs = 4_000;

interface CallbackAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

const agentOptions = {
  keepAlive: true,
  maxFreeSockets: maxIdleSocketsPerTarget,
  timeout: idleSocketTimeoutMs,
};
const defaultAgents: CallbackAgents = {
  http: new http.Agent(agentOptions),
  https: new https.Agent(agentOptions),
};
/** One pool per lookup: a connection dialled under one resolver (target policy) never serves another. */
const agentsByLookup = new WeakMap<LookupFunction, CallbackAgents>();

function agentFor(url: CallbackRequest['url'], lookup: LookupFunction | undefined): http.Agent {
  let agents = lookup === undefined ? defaultAgents : agentsByLookup.get(lookup);
  if (agents === undefined) {
    agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    agentsByLookup.set(lookup!, agents);
  }
  return url.protocol === 'https:' ? agents.https : agents.http;
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
    // A fresh connection when retrying after a reused one failed; otherwise the keep-alive pool.
    agent: options.freshConnection === true ? false : agentFor(url, options.lookup),
    lookup: options.lookup,
    ...tls,
  };
}

/** Starts the request; resolves with what happened. Never rejects: every failure is an attempt result. */
export function sendCallbackRequest(
  request: CallbackRequest,
  options: CallbackAttemptOptions,
): Promise<CallbackAttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
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
    const start = (attempt: CallbackAttemptOptions): void => {
      req = startRequest(request, attempt, {
        settle,
        // Only a stale pooled connection is retried, once, on a new one (same deadline).
        retry:
          attempt.freshConnection === true ? undefined : () => start({ ...attempt, freshConnection: true }),
        isCurrent: (candidate) => !settled && candidate === req,
      });
    };
    start(options);
  });
}

interface AttemptHooks {
  readonly settle: (result: CallbackAttemptResult) => void;
  readonly retry: (() => void) | undefined;
  readonly isCurrent: (req: http.ClientRequest) => boolean;
}

function startRequest(
  request: CallbackRequest,
  options: CallbackAttemptOptions,
  hooks: AttemptHooks,
): http.ClientRequest | undefined {
  const transport = request.url.protocol === 'https:' ? https : http;
  let connected = false;
  let responded = false;
  const onResponse = (res: IncomingMessage): void => {
    responded = true;
    const status = res.statusCode ?? 0;
    const contentLength = readContentLength(res);
    if (!shouldReadBody(status, contentLength, options.maxResponseBytes)) {
      hooks.settle({
        kind: 'response',
        status,
        headers: res.headers,
        bodyBytes: Buffer.alloc(0),
        contentLength,
      });
      return;
    }
    readCappedBody(res, options.maxResponseBytes).then(
      (bodyBytes) =>
        hooks.settle({ kind: 'response', status, headers: res.headers, bodyBytes, contentLength }),
      (error: Error) => hooks.settle({ kind: 'connect', error }),
    );
  };
  let req: http.ClientRequest;
  try {
    req = transport.request(buildCallbackRequestOptions(request, options), onResponse);
  } catch (error) {
    // Invalid options (a header value Node refuses): the target was never contacted.
    hooks.settle({ kind: 'connect', error: error instanceof Error ? error : new Error(String(error)) });
    return undefined;
  }
  req.on('socket', (socket) => {
    if (req.reusedSocket)
      connected = true; // connected (and TLS-established) when it was dialled
    else socket.once('connect', () => (connected = true));
  });
  req.on('error', (error) => {
    if (!hooks.isCurrent(req)) return;
    if (req.reusedSocket && !responded && hooks.retry !== undefined) {
      req.destroy();
      hooks.retry();
      return;
    }
    const duringTls = connected && request.url.protocol === 'https:';
    hooks.settle({ kind: duringTls ? 'tls' : 'connect', error });
  });
  req.end(request.body);
  return req;
}
