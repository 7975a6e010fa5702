import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { startDemoStyleVerifier } from '../keys/testing/start-demo-style-verifier.js';
import { postCallbackUpload } from '../keys/testing/post-callback-upload.js';
import {
  fixedNowMs,
  startPostObjectServer,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from '../operations/post-object/testing/post-object-test-server.js';
import { devKeyProxyUrl } from './dev-key-proxy.js';
import type { TestServer } from './testing/start-test-server.js';

interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/** Writes `request` verbatim on a fresh connection and reads until the server closes it. */
async function sendRaw(port: number, request: string): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1');
  socket.end(request);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, head, body: split === -1 ? '' : text.slice(split + 4) };
}

function proxyRequest(method: string, target: string, host: string): string {
  return `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

/** A listener that only counts connections: proof that nothing was forwarded to it. */
async function startTripwire(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

function upload(server: TestServer, key: string, callbackUrl: string) {
  return postCallbackUpload({
    port: server.port,
    bucket: testBucket,
    key,
    accessKeyId: testAccessKeyId,
    accessKeySecret: testAccessKeySecret,
    nowMs: fixedNowMs,
    callbackUrl,
  });
}

describe('dev key proxy on (--dev-key-proxy)', () => {
  let server: TestServer;
  before(async () => {
    server = await startPostObjectServer({ config: { devKeyProxy: true } });
  });
  after(() => server.close());

  it('advertises the dev key URL, and a demo-style verifier using http_proxy accepts the callback', async () => {
    assert.equal(server.deps.callbackKey.publicKeyUrl, devKeyProxyUrl);
    const verifier = await startDemoStyleVerifier({ http_proxy: `http://127.0.0.1:${server.port}` });
    try {
      const res = await upload(server, 'dev/a.txt', `${verifier.url}/notify%20me/cb?order=a%2Fb&x=1`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(JSON.parse(res.text), { Status: 'OK' });
      assert.deepEqual(verifier.verdicts, [
        { accepted: true, reason: 'signature verified', keyUrl: devKeyProxyUrl },
      ]);
    } finally {
      await verifier.close();
    }
  });

  it('answers GET and HEAD for the dev key URL with the current public key', async () => {
    const host = 'gosspublic.alicdn.com';
    const got = await sendRaw(server.port, proxyRequest('GET', devKeyProxyUrl, host));
    assert.equal(got.status, 200);
    assert.equal(got.body, server.deps.callbackKey.publicKeyPem);
    assert.match(got.head, /\r\ncontent-type: application\/x-pem-file\r\n/i);
    const head = await sendRaw(
      server.port,
      proxyRequest('HEAD', 'HTTP://GOSSPUBLIC.alicdn.com:80/upcall_dev_key.pem', host),
    );
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  it('refuses every other proxy request with 403 and never connects to the requested target', async () => {
    const tripwire = await startTripwire();
    const target = `127.0.0.1:${tripwire.port}`;
    try {
      const refused = [
        proxyRequest('GET', `http://${target}/x`, target),
        proxyRequest('GET', `http://127.0.0.1:${server.port}/_upcall/health`, target),
        proxyRequest('GET', 'http://gosspublic.alicdn.com/callback_pub_key_v1.pem', 'gosspublic.alicdn.com'),
        proxyRequest('GET', `${devKeyProxyUrl}?x=1`, 'gosspublic.alicdn.com'),
        proxyRequest('GET', 'http://user@gosspublic.alicdn.com/upcall_dev_key.pem', 'gosspublic.alicdn.com'),
        proxyRequest('GET', 'https://gosspublic.alicdn.com/upcall_dev_key.pem', 'gosspublic.alicdn.com'),
        proxyRequest('GET', 'http://evil.example/upcall_dev_key.pem', 'evil.example'),
        proxyRequest('POST', devKeyProxyUrl, 'gosspublic.alicdn.com'),
        proxyRequest('PUT', `http://${target}/x`, target),
        proxyRequest('DELETE', devKeyProxyUrl, 'gosspublic.alicdn.com'),
        proxyRequest('CONNECT', target, target),
        proxyRequest('CONNECT', 'gosspublic.alicdn.com:443', 'gosspublic.alicdn.com:443'),
      ];
      for (const request of refused) {
        const res = await sendRaw(server.port, request);
        assert.equal(res.status, 403, request.split('\r\n')[0]);
        assert.match(res.body, /no request is ever forwarded/);
      }
      assert.equal(tripwire.connections(), 0);
    } finally {
      tripwire.server.close();
    }
  });
});

describe('dev key proxy off (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startPostObjectServer();
  });
  after(() => server.close());

  it('makes the same demo-style verifier reject the callback (its own key URL fails the prefix check)', async () => {
    const verifier = await startDemoStyleVerifier({ http_proxy: `http://127.0.0.1:${server.port}` });
    try {
      const res = await upload(server, 'dev/b.txt', `${verifier.url}/notify`);
      assert.equal(res.status, 203, res.text);
      assert.match(res.text, /<Code>CallbackFailed<\/Code>/);
      assert.equal(verifier.verdicts.length, 1);
      assert.equal(verifier.verdicts[0]?.accepted, false);
      assert.equal(verifier.verdicts[0]?.reason, 'key URL is not on gosspublic.alicdn.com');
    } finally {
      await verifier.close();
    }
  });

  it('never answers the dev key URL, keeps absolute-form targets ordinary and closes CONNECT unanswered', async () => {
    const dev = await sendRaw(server.port, proxyRequest('GET', devKeyProxyUrl, 'gosspublic.alicdn.com'));
    assert.equal(dev.status, 404);
    assert.match(dev.body, /<Code>NoSuchBucket<\/Code>/);
    const own = await sendRaw(
      server.port,
      proxyRequest('GET', `http://127.0.0.1:${server.port}/_upcall/health`, 'x'),
    );
    assert.equal(own.status, 200);
    const tunnel = await sendRaw(server.port, proxyRequest('CONNECT', 'gosspublic.alicdn.com:443', 'x'));
    assert.deepEqual([tunnel.status, tunnel.head], [0, '']);
  });
});
