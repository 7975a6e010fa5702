// The server's own resources under `/_upcall/` (never a bucket: OSS bucket names cannot contain `_`):
// the callback public key (oss-protocol §9.4 — OSS serves its key at a stable URL; ours is printed at
// start and sent Base64-encoded as x-oss-pub-key-url) and a health probe.
import { OssError } from '@upcall/protocol';
import type { ServerResponse } from 'node:http';
import type { ServerDeps } from './request-context.js';

export const callbackPublicKeyPath = 'callback-public-key.pem';
export const healthPath = 'health';

/** `/_upcall/<rest>` URL of a reserved resource under `publicEndpoint`. */
export function buildReservedUrl(publicEndpoint: string, rest: string): string {
  return `${publicEndpoint.replace(/\/+$/, '')}/_upcall/${rest}`;
}

function sendBody(res: ServerResponse, method: string, contentType: string, body: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(method === 'HEAD' ? undefined : body);
}

/** Returns the operation name for the request log. */
export function serveReservedPath(
  method: string,
  rest: string,
  res: ServerResponse,
  deps: ServerDeps,
): string {
  const name = rest === callbackPublicKeyPath ? 'GetCallbackPublicKey' : rest === healthPath ? 'Health' : '';
  if (name === '') throw new OssError('NoSuchKey', { message: 'No such Upcall server resource.' });
  if (method !== 'GET' && method !== 'HEAD') {
    throw new OssError('MethodNotAllowed', { extra: [['Method', method]] });
  }
  if (name === 'Health') {
    sendBody(res, method, 'application/json', '{"status":"ok"}\n');
  } else {
    sendBody(res, method, 'application/x-pem-file', deps.callbackKey.publicKeyPem);
  }
  return name;
}
