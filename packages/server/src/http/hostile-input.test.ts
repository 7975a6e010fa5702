// Threats §C4, §C8 and the "never crash on bad input" rule: raw bytes over a socket, then a normal
// request that must still succeed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { exchange } from './testing/http-exchange.js';
import { startTestServer, type TestServer } from './testing/start-test-server.js';

interface RawResult {
  readonly text: string;
  /** Milliseconds until the server closed the connection, or undefined if it stayed open. */
  readonly closedAfterMs: number | undefined;
}

/** Writes `payload` and collects whatever comes back until the server closes or `waitMs` passes. */
function sendRaw(port: number, payload: string | Buffer, waitMs = 2_000): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        text: Buffer.concat(chunks).toString('latin1'),
        closedAfterMs: closed ? Date.now() - started : undefined,
      });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(payload);
  });
}

const statusOf = (raw: RawResult): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw.text)?.[1] ?? 0);

describe('hostile HTTP input never crashes the server', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ config: { headersTimeoutMs: 500, idleTimeoutMs: 700 } });
  });
  after(() => server.close());

  async function assertStillServing(): Promise<void> {
    const res = await exchange(server.port, { path: '/_upcall/health' });
    assert.equal(res.status, 200);
  }

  it('answers broken percent-encoding and raw binary in the target with OSS XML errors', async () => {
    for (const target of ['/uploads/%%%', '/uploads/%C0%AF', '/uploads/%ED%A0%80', '/uploads/?a=%E4']) {
      const raw = await sendRaw(
        server.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(statusOf(raw), 400, target);
      assert.match(raw.text, /<Error>/);
    }
    // Raw non-ASCII bytes in the request line never reach us: the strict parser refuses them.
    const binary = Buffer.from('GET /uploads/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1');
    assert.equal(statusOf(await sendRaw(server.port, binary)), 400);
    await assertStillServing();
  });

  it('lets Node answer 431 to oversized headers and 400 to malformed requests', async () => {
    const huge = await sendRaw(
      server.port,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assert.equal(statusOf(huge), 431);
    // Node keeps the first 2000 header lines (maxHeadersCount) and drops the rest; the request is served.
    const many = Array.from({ length: 2_100 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const flood = await sendRaw(
      server.port,
      `GET /_upcall/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${many}\r\n`,
    );
    assert.equal(statusOf(flood), 200);
    const garbage = await sendRaw(server.port, Buffer.from([0x00, 0x01, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]));
    assert.equal(statusOf(garbage), 400);
    await assertStillServing();
  });

  it('rejects request-smuggling shapes with 400 from the strict parser', async () => {
    const shapes = [
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n',
    ];
    for (const shape of shapes) {
      assert.equal(statusOf(await sendRaw(server.port, shape)), 400, JSON.stringify(shape));
    }
    await assertStillServing();
  });

  it('answers odd but parseable requests with errors, not crashes', async () => {
    const odd = [
      'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET http://uploads.localhost/%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'BREW /uploads/pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /uploads/k HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n',
      'HEAD /uploads/k HTTP/1.1\r\nHost: x\r\nAuthorization: OSS4-HMAC-SHA256 garbage\r\nConnection: close\r\n\r\n',
      'GET /uploads/k?OSSAccessKeyId=&Expires=abc&Signature= HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ];
    for (const request of odd) {
      const status = statusOf(await sendRaw(server.port, request));
      assert.ok(status >= 400 && status < 500, `${status} for ${JSON.stringify(request)}`);
    }
    await assertStillServing();
  });

  it('closes a connection whose headers trickle in past headersTimeout (slowloris)', async () => {
    const raw = await sendRaw(server.port, 'GET /_upcall/health HTTP/1.1\r\nHost: x\r\nX-Slow: ', 5_000);
    assert.notEqual(raw.closedAfterMs, undefined);
    assert.ok((raw.closedAfterMs ?? Infinity) < 3_500, `closed after ${raw.closedAfterMs} ms`);
    await assertStillServing();
  });

  it('closes the connection after an error instead of waiting for an unread, stalled body', async () => {
    const raw = await sendRaw(
      server.port,
      'PUT /uploads/stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789',
      5_000,
    );
    // Anonymous PutObject on a private bucket: refused before a body byte is read.
    assert.equal(statusOf(raw), 403);
    assert.match(raw.text, /\r\nConnection: close\r\n/i);
    assert.ok((raw.closedAfterMs ?? Infinity) < 1_000, `closed after ${raw.closedAfterMs} ms`);
    await assertStillServing();
  });
});
