// Development mode for unmodified callback verifiers (`--dev-key-proxy`, off unless enabled). Verifiers
// written after OSS's demos (oss-protocol §9.4, §9.7) fetch x-oss-pub-key-url only when it starts with
// `http(s)://gosspublic.alicdn.com/`. With `http_proxy=http://<this server>` in the app server's
// environment, their fetch of http://gosspublic.alicdn.com/upcall_dev_key.pem arrives here in
// absolute-form (RFC 9112 §3.2.2) and is answered with this server's public key — the URL the server then
// advertises. Nothing else is ever served or forwarded: every other proxy request (other host, path,
// scheme, method, CONNECT) gets 403 and no outbound connection is made (threats §B3: no SSRF surface).
// With the mode off, absolute-form targets keep their ordinary meaning (parse-request-target.ts) and
// CONNECT keeps Node's default (connection closed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { devKeyProxyUrl } from '../keys/callback-key-names.js';
import type { ServerDeps } from './request-context.js';
import { sendPublicKey } from './serve-reserved-path.js';

export { devKeyProxyUrl };

/** `scheme://…`: a request for a proxy to forward (origin servers receive `/path` targets). */
const absoluteFormTarget = /^[a-z][a-z0-9+.-]*:\/\//i;

/** How long a refused CONNECT socket may linger after the 403 before it is destroyed. */
const connectLingerMs = 1_000;

const refusalText =
  `Upcall dev key proxy: only GET/HEAD ${devKeyProxyUrl} is answered here; ` +
  'no request is ever forwarded.\n';

function isDevKeyRequest(method: string, target: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  try {
    // Canonical comparison: `HTTP://GOSSPUBLIC.alicdn.com:80/…` is the same resource; userinfo, query,
    // fragment or any other path are not.
    return new URL(target).href === devKeyProxyUrl;
  } catch {
    return false;
  }
}

function sendRefusal(res: ServerResponse, method: string): void {
  res.statusCode = 403;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(refusalText));
  res.setHeader('Cache-Control', 'no-store');
  res.end(method === 'HEAD' ? undefined : refusalText);
}

/**
 * The request hook: answers a proxy (absolute-form) request when dev-key mode is on and returns the
 * operation name for the request log; undefined = not a proxy request here, continue the pipeline.
 */
export function serveDevKeyProxy(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
): string | undefined {
  const target = req.url ?? '';
  if (deps.config.devKeyProxy !== true || !absoluteFormTarget.test(target)) return undefined;
  const method = req.method ?? '';
  if (!isDevKeyRequest(method, target)) {
    sendRefusal(res, method);
    return 'DevKeyProxyRefused';
  }
  sendPublicKey(res, method, { publicKeyPem: deps.callbackKey.publicKeyPem, immutable: false });
  return 'GetDevKey';
}

/** The server's `connect` listener in dev-key mode: every CONNECT tunnel is refused with 403. */
export function createConnectRefusal(
  deps: Pick<ServerDeps, 'log'>,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket) => {
    socket.on('error', () => undefined); // a peer that vanished has nothing left to be told
    const head = [
      'HTTP/1.1 403 Forbidden',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(refusalText)}`,
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${refusalText}`);
    setTimeout(() => socket.destroy(), connectLingerMs).unref();
    deps.log.info(
      { method: 'CONNECT', operation: 'DevKeyProxyRefused', target: req.url, status: 403 },
      'request',
    );
  };
}
