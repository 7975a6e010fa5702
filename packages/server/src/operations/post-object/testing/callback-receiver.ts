// Test helper: an application server on 127.0.0.1 that receives upload callbacks, verifies each one with
// protocol's verifyCallbackSignature using the PEM FETCHED from the URL in x-oss-pub-key-url (the way a
// real app verifies against OSS), records it, and answers with a scripted reply.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { decodePublicKeyUrlHeader, verifyCallbackSignature } from '@upcall/protocol';

export interface ReceivedCallback {
  readonly method: string;
  /** Request target as received (path + raw query). */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly publicKeyUrl: string | undefined;
  readonly signatureVerified: boolean;
}

export type CallbackReply = (received: ReceivedCallback, res: ServerResponse) => void;

export interface CallbackReceiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedCallback[];
  /** TCP connections accepted so far. */
  connectionCount(): number;
  close(): Promise<void>;
}

export const replyJson =
  (body: string, status = 200): CallbackReply =>
  (_received, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

async function fetchPem(url: string | undefined): Promise<string | undefined> {
  if (url === undefined || !url.startsWith('http://127.0.0.1:')) return undefined; // never fetch elsewhere
  const response = await fetch(url);
  return response.ok ? response.text() : undefined;
}

async function verify(
  target: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<[string | undefined, boolean]> {
  const keyHeader = headers['x-oss-pub-key-url'];
  const publicKeyUrl = decodePublicKeyUrlHeader(typeof keyHeader === 'string' ? keyHeader : undefined);
  const pem = await fetchPem(publicKeyUrl);
  if (pem === undefined) return [publicKeyUrl, false];
  const verdict = verifyCallbackSignature({
    requestTarget: target,
    body,
    authorization: headers.authorization,
    publicKey: pem,
  });
  return [publicKeyUrl, verdict.ok];
}

export async function startCallbackReceiver(
  reply: CallbackReply = replyJson('{"Status":"OK"}'),
): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = req.url ?? '';
      verify(target, req.headers, body).then(
        ([publicKeyUrl, signatureVerified]) => {
          const entry = {
            method: req.method ?? '',
            target,
            headers: req.headers,
            body,
            publicKeyUrl,
            signatureVerified,
          };
          received.push(entry);
          reply(entry, res);
        },
        () => res.destroy(),
      );
    });
  });
  server.on('connection', () => (connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    connectionCount: () => connections,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
