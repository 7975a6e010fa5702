// Test support: the callback request an OSS-compatible server would send for an upload made with a
// ticket — rendered and signed with the protocol package's own functions (renderCallbackBody,
// buildCallbackRequest), exactly as Upcall's server does it, so handler tests exercise real signatures.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import {
  buildCallbackRequest,
  collectFormCallbackVars,
  parseCallbackParam,
  parseCallbackUrls,
  renderCallbackBody,
  type CallbackBodyType,
  type CallbackRequest,
  type CallbackSystemVars,
} from '@upcall/protocol';
import type { UploadTicket } from '../tickets/upload-ticket.js';
import type { CallbackRequestParts } from '../verify/verify-callback.js';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly publicKeyUrl: string;
}

/** The throw-away emulator key of test/vectors/emulator-test-key.pem (oss-protocol §9.5, TEST ONLY). */
export function readEmulatorTestKey(
  publicKeyUrl = 'http://127.0.0.1:9000/_upcall/callback-public-key.pem',
): SigningKey {
  const pem = readFileSync(
    new URL('../../../../test/vectors/emulator-test-key.pem', import.meta.url),
    'utf8',
  );
  const privateKey = createPrivateKey(pem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, publicKeyUrl };
}

export interface SimulatedUpload extends Partial<CallbackSystemVars> {
  /** Defaults to the ticket's exact key. */
  readonly object?: string;
  /** Index into the ticket's callback URLs (default 0). */
  readonly urlIndex?: number;
  readonly dateMs?: number;
}

/** Renders and signs the callback for an upload made with `ticket`, as the storage server would. */
export async function buildSignedCallback(
  ticket: UploadTicket,
  upload: SimulatedUpload,
  key: SigningKey,
): Promise<CallbackRequest> {
  const config = parseCallbackParam(ticket.fields.callback ?? '');
  const url = config.urls[upload.urlIndex ?? 0];
  if (url === undefined) throw new RangeError('The ticket has no callback URL at that index.');
  const object = upload.object ?? ticket.key ?? `${ticket.keyPrefix ?? ''}file`;
  const system: CallbackSystemVars = {
    bucket: upload.bucket ?? 'examplebucket',
    object,
    etag: upload.etag ?? 'D41D8CD98F00B204E9800998ECF8427E',
    size: upload.size ?? 5,
    mimeType: upload.mimeType ?? ticket.fields['Content-Type'] ?? 'application/octet-stream',
    ...(upload.imageInfo === undefined ? {} : { imageInfo: upload.imageInfo }),
    crc64: upload.crc64 ?? '18446744073709551615',
    contentMd5: upload.contentMd5 ?? '1B2M2Y8AsgTpgAmY7PhCfg==',
    vpcId: upload.vpcId ?? '',
    clientIp: upload.clientIp ?? '127.0.0.1',
    reqId: upload.reqId ?? '5C3D9175B6FC201293AD0000',
    operation: upload.operation ?? 'PostObject',
  };
  const custom = collectFormCallbackVars(new Map(Object.entries(ticket.fields)));
  const body = renderCallbackBody(config, { system, custom });
  return buildCallbackRequest({
    url,
    config,
    body,
    publicKeyUrl: key.publicKeyUrl,
    requestId: system.reqId,
    bucket: system.bucket,
    dateMs: upload.dateMs ?? Date.UTC(2026, 0, 1),
    privateKey: key.privateKey,
  });
}

/** Signs an arbitrary body for `url` (absolute callback URL) the way the server does. */
export function buildSignedCallbackFor(
  url: string,
  body: string | Uint8Array,
  key: SigningKey,
  bodyType: CallbackBodyType = 'application/x-www-form-urlencoded',
): Promise<CallbackRequest> {
  const [callbackUrl] = parseCallbackUrls(url, (_ec, message) => {
    throw new TypeError(message);
  });
  if (callbackUrl === undefined) throw new TypeError('no callback URL');
  return buildCallbackRequest({
    url: callbackUrl,
    config: { host: undefined, bodyType },
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    publicKeyUrl: key.publicKeyUrl,
    requestId: '5C3D9175B6FC201293AD0000',
    bucket: 'examplebucket',
    dateMs: Date.UTC(2026, 0, 1),
    privateKey: key.privateKey,
  });
}

/** The request as verifyCallback sees it (lower-case headers, raw target). */
export function toCallbackRequestParts(request: CallbackRequest): CallbackRequestParts {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name.toLowerCase()] = value;
  return { method: request.method, target: request.url.requestTarget, headers, body: request.body };
}

/** POSTs the signed request over real HTTP to 127.0.0.1:`port`, keeping the raw target byte for byte. */
export function sendCallbackRequest(
  request: CallbackRequest,
  port: number,
  override: { target?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  Object.assign(headers, override.headers);
  const body = override.body ?? request.body;
  headers['Content-Length'] = String(body.byteLength);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: override.target ?? request.url.requestTarget,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
