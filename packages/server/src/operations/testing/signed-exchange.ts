// Test helper: one path-style request to 127.0.0.1 signed with a V1 Authorization header (protocol's
// signer), for cases the SDK cannot express (bad digests, odd headers, both callback channels at once),
// and a raw-socket exchange for requests node:http would not send (a PUT without any body framing).
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { signRequestV1Header } from '@upcall/protocol';
import { exchange, type Exchange } from '../../http/testing/http-exchange.js';
import { testAccessKeyId, testAccessKeySecret } from '../../http/testing/start-test-server.js';

export interface SignedExchangeInput {
  readonly method: string;
  readonly bucket: string;
  readonly key?: string;
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Omit the Authorization header (anonymous request). */
  readonly anonymous?: boolean;
}

const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

export function buildTarget(bucket: string, key?: string, query: SignedExchangeInput['query'] = []): string {
  const search = query.map(([n, v]) =>
    v === '' ? encodeURIComponent(n) : `${encodeURIComponent(n)}=${encodeURIComponent(v)}`,
  );
  return `/${bucket}/${key === undefined ? '' : encodeKey(key)}${search.length > 0 ? `?${search.join('&')}` : ''}`;
}

export function signedExchange(port: number, input: SignedExchangeInput): Promise<Exchange> {
  const headers = input.headers ?? {};
  const signed = input.anonymous
    ? headers
    : (signRequestV1Header({
        method: input.method,
        bucket: input.bucket,
        key: input.key,
        query: input.query?.map(([n, v]): [string, string] => [n, v]),
        headers,
        accessKeyId: testAccessKeyId,
        secret: testAccessKeySecret,
        nowMs: Date.now(),
      }).headers as Record<string, string>);
  return exchange(port, {
    method: input.method,
    path: buildTarget(input.bucket, input.key, input.query),
    headers: signed,
    ...(input.body === undefined ? {} : { body: input.body }),
  });
}

export const base64Md5 = (body: string | Buffer): string => createHash('md5').update(body).digest('base64');

/** True once `bytes` hold a whole response: head plus Content-Length body bytes. */
function isCompleteResponse(bytes: Buffer): boolean {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(bytes.subarray(0, headEnd).toString('latin1'))?.[1];
  return bytes.length - headEnd - 4 >= Number(length ?? 0);
}

/** Sends `payload` over a fresh socket and resolves with the first response (≤ 3 s). */
export function sendRawRequest(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received.toString('utf8'));
    };
    const timer = setTimeout(finish, 3_000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (isCompleteResponse(received)) finish();
    });
    socket.on('close', finish);
    socket.on('error', reject);
    socket.write(payload);
  });
}

export const statusOfRaw = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
