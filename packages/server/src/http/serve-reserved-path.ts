// The server's own resources under `/_upcall/` (never a bucket: OSS bucket names cannot contain `_`):
// the callback public keys (oss-protocol §9.4 — OSS serves its key at a stable URL; ours is printed at
// start and sent Base64-encoded as x-oss-pub-key-url) and a health probe. Keys (keys/callback-key-names.ts):
// `callback-public-key.pem` is whichever key signs now; `callback-public-key-<fingerprint>.pem` is one
// key forever — the current one, or a retired one until its grace period ends (keys/rotate-callback-key.ts).
import { OssError } from '@upcall/protocol';
import type { ServerResponse } from 'node:http';
import { currentPublicKeyName } from '../keys/callback-key-names.js';
import { toCallbackKeyRing, type ServedPublicKey } from '../keys/callback-key-ring.js';
import type { ServerDeps } from './request-context.js';

export { buildReservedUrl } from '../keys/callback-key-names.js';

/** The current key's stable name (kept for configurations that predate per-key URLs). */
export const callbackPublicKeyPath = currentPublicKeyName;
export const healthPath = 'health';

/** A fingerprint URL never changes its content; the current-key URL must be re-checked. */
const immutableCacheControl = 'public, max-age=31536000, immutable';

export function sendReservedBody(
  res: ServerResponse,
  method: string,
  contentType: string,
  body: string,
  cacheControl = 'no-cache',
): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', cacheControl);
  res.end(method === 'HEAD' ? undefined : body);
}

/** Answers GET/HEAD with a public key PEM (the format OSS serves, §9.4). */
export function sendPublicKey(res: ServerResponse, method: string, key: ServedPublicKey): void {
  const cacheControl = key.immutable ? immutableCacheControl : 'no-cache';
  sendReservedBody(res, method, 'application/x-pem-file', key.publicKeyPem, cacheControl);
}

/** Returns the operation name for the request log. */
export function serveReservedPath(
  method: string,
  rest: string,
  res: ServerResponse,
  deps: ServerDeps,
): string {
  const key =
    rest === healthPath ? undefined : toCallbackKeyRing(deps.callbackKey).findPublicKey(rest, deps.now());
  const name = key !== undefined ? 'GetCallbackPublicKey' : rest === healthPath ? 'Health' : '';
  if (name === '') throw new OssError('NoSuchKey', { message: 'No such Upcall server resource.' });
  if (method !== 'GET' && method !== 'HEAD') {
    throw new OssError('MethodNotAllowed', { extra: [['Method', method]] });
  }
  if (key === undefined) {
    sendReservedBody(res, method, 'application/json', '{"status":"ok"}\n');
  } else {
    sendPublicKey(res, method, key);
  }
  return name;
}
