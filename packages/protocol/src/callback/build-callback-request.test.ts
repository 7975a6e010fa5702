import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCallbackRequest } from './build-callback-request.js';
import { parseCallbackParam } from './parse-callback-param.js';
import { decodePublicKeyUrlHeader, verifyCallbackSignature } from './callback-signature.js';

const vectorsDir = new URL('../../../../test/vectors/', import.meta.url);
const privateKey = createPrivateKey(readFileSync(new URL('emulator-test-key.pem', vectorsDir), 'utf8'));
const emu1 = (
  JSON.parse(readFileSync(new URL('callback-signatures.json', vectorsDir), 'utf8')) as {
    vectors: Array<{ id: string; requestTarget: string; body: string; headers: Record<string, string> }>;
  }
).vectors.find((vector) => vector.id === 'CB-EMU-1')!;

function configFor(callbackUrl: string, extra: Record<string, unknown> = {}) {
  const json = JSON.stringify({
    callbackUrl,
    callbackBody: '{"b":${bucket}}',
    callbackBodyType: 'application/json',
    ...extra,
  });
  return parseCallbackParam(Buffer.from(json).toString('base64'));
}

const fixed = {
  publicKeyUrl: 'http://127.0.0.1:9000/callback_pub_key_v1.pem',
  requestId: '55F6BF87207FB30F2640C548',
  bucket: 'examplebucket',
  dateMs: Date.UTC(2024, 4, 7, 3, 6, 13),
  privateKey,
};

describe('buildCallbackRequest', () => {
  it('reproduces the CB-EMU-1 vector: headers in order, signature, Content-MD5 and key URL', async () => {
    const config = configFor(`http://127.0.0.1:9000${emu1.requestTarget}`);
    const body = Buffer.from(emu1.body, 'utf8');
    const built = await buildCallbackRequest({ url: config.urls[0]!, config, body, ...fixed });
    assert.equal(built.method, 'POST');
    assert.equal(built.url.requestTarget, emu1.requestTarget);
    assert.deepEqual(built.headers, [
      ['Host', '127.0.0.1:9000'],
      ['Content-Type', 'application/json'],
      ['Content-Length', '88'],
      ['Content-MD5', 'zWwSzxY/WXp8dvOvLTzscg=='],
      ['Date', 'Tue, 07 May 2024 03:06:13 GMT'],
      ['Authorization', emu1.headers.authorization],
      ['x-oss-pub-key-url', emu1.headers['x-oss-pub-key-url']],
      ['x-oss-request-id', '55F6BF87207FB30F2640C548'],
      ['x-oss-bucket', 'examplebucket'],
      ['x-oss-tag', 'CALLBACK'],
      ['x-oss-signature-version', '1.0'],
      ['User-Agent', 'aliyun-oss-callback'],
    ]);
  });

  it('uses callbackHost for the Host header and the body type for Content-Type', async () => {
    const config = configFor('https://app.example/cb', {
      callbackHost: 'virtual.example',
      callbackBodyType: 'application/x-www-form-urlencoded',
    });
    const built = await buildCallbackRequest({
      url: config.urls[0]!,
      config,
      body: Buffer.from('a=b'),
      ...fixed,
    });
    const headers = new Map(built.headers);
    assert.equal(headers.get('Host'), 'virtual.example');
    assert.equal(headers.get('Content-Type'), 'application/x-www-form-urlencoded');
  });

  it('produces a request that verifies on the receiving side of a real loopback HTTP exchange', async () => {
    const received = new Promise<{ target: string; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2' }).end('{}');
            server.close();
            resolve({ target: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
          });
        });
        server.listen(0, '127.0.0.1', () => {
          send((server.address() as AddressInfo).port).catch((error: unknown) => {
            server.close();
            reject(error instanceof Error ? error : new Error(String(error)));
          });
        });
      },
    );
    async function send(port: number): Promise<void> {
      const config = configFor(`http://127.0.0.1:${port}/hook/%E4%B8%AD%20x?uid=42&next=%2Fhome`);
      const built = await buildCallbackRequest({
        url: config.urls[0]!,
        config,
        body: Buffer.from('{"b":"x"}'),
        ...fixed,
      });
      const outgoing = request({
        host: built.url.hostname,
        port: built.url.port,
        method: built.method,
        path: built.url.requestTarget,
        headers: built.headers.map(([name, value]) => [name, value]).flat(),
      });
      await new Promise<void>((resolve, reject) => {
        outgoing.on('error', reject);
        outgoing.on('response', (response) => {
          response.resume();
          resolve();
        });
        outgoing.end(built.body);
      });
    }
    const { target, headers, body } = await received;
    assert.equal(target, '/hook/%E4%B8%AD%20x?uid=42&next=%2Fhome');
    assert.equal(decodePublicKeyUrlHeader(headers['x-oss-pub-key-url'] as string), fixed.publicKeyUrl);
    const verdict = verifyCallbackSignature({
      requestTarget: target,
      body,
      authorization: headers.authorization,
      publicKey: createPublicKey(privateKey),
    });
    assert.deepEqual(verdict, { ok: true, variant: 'percent' });
  });
});
