import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import { presignUrlV1 } from '@upcall/protocol';
import { exchange, exchangeUrl } from '../http/testing/http-exchange.js';
import {
  putTestObject,
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../http/testing/start-test-server.js';
import { wrapStore } from '../http/testing/wrap-store.js';
import { MemoryObjectStore } from '../store/memory-object-store.js';

const xml = new XMLParser({ parseTagValue: false });
const errorCode = (body: string): string => (xml.parse(body) as { Error: { Code: string } }).Error.Code;
const lastModifiedMs = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

describe('GetObject and HeadObject', () => {
  let server: TestServer;
  let etag = '';

  before(async () => {
    const store = new MemoryObjectStore({ now: () => lastModifiedMs });
    server = await startTestServer({ store, config: { buckets: ['pub'], bucketAcl: 'public-read' } });
    const meta = await putTestObject(store, 'pub', 'doc.txt', '0123456789', {
      contentType: 'text/plain; charset=utf-8',
      headers: { 'Cache-Control': 'no-store', 'Content-Disposition': 'attachment; filename="d.txt"' },
      userMeta: { author: 'Zoë', bad: 'a\u0001b' },
    });
    etag = meta.etag;
  });
  after(() => server.close());

  it('returns the whole object with its stored headers, checksums and nosniff', async () => {
    const res = await exchange(server.port, { path: '/pub/doc.txt' });
    assert.equal(res.status, 200);
    assert.equal(res.body, '0123456789');
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['content-length'], '10');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="d.txt"');
    assert.equal(res.headers.etag, etag);
    assert.equal(res.headers['last-modified'], new Date(lastModifiedMs).toUTCString());
    assert.equal(res.headers['content-md5'], 'eB5eJF1ptWaXm4bijSPyxw==');
    assert.match(String(res.headers['x-oss-hash-crc64ecma']), /^\d+$/);
    assert.equal(res.headers['x-oss-object-type'], 'Normal');
    assert.equal(res.headers['x-oss-storage-class'], 'Standard');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    // UTF-8 metadata travels as UTF-8 bytes; a value with control characters is not sent.
    assert.equal(Buffer.from(String(res.headers['x-oss-meta-author']), 'latin1').toString('utf8'), 'Zoë');
    assert.equal(res.headers['x-oss-meta-bad'], undefined);
  });

  it('serves a single range as 206 with Content-Range and without Content-MD5', async () => {
    const cases: Array<[string, string, string]> = [
      ['bytes=2-4', '234', 'bytes 2-4/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
    ];
    for (const [range, body, contentRange] of cases) {
      const res = await exchange(server.port, { path: '/pub/doc.txt', headers: { range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.body, body, range);
      assert.equal(res.headers['content-range'], contentRange, range);
      assert.equal(res.headers['content-length'], String(body.length));
      assert.equal(res.headers['content-md5'], undefined);
    }
  });

  it('answers 416 InvalidRange with Content-Range bytes */size for a range past the end', async () => {
    const res = await exchange(server.port, { path: '/pub/doc.txt', headers: { range: 'bytes=10-20' } });
    assert.equal(res.status, 416);
    assert.equal(errorCode(res.body), 'InvalidRange');
    assert.equal(res.headers['content-range'], 'bytes */10');
  });

  it('ignores ranges OSS cannot honour (multiple, reversed, malformed) and returns the whole object', async () => {
    for (const range of ['bytes=0-1,3-4', 'bytes=5-2', 'items=0-1', 'bytes=x-']) {
      const res = await exchange(server.port, { path: '/pub/doc.txt', headers: { range } });
      assert.equal(res.status, 200, range);
      assert.equal(res.body, '0123456789');
    }
  });

  it('answers 304 for If-None-Match / If-Modified-Since and 412 for If-Match / If-Unmodified-Since', async () => {
    const get = (headers: Record<string, string>) => exchange(server.port, { path: '/pub/doc.txt', headers });
    const later = new Date(lastModifiedMs + 60_000).toUTCString();
    const earlier = new Date(lastModifiedMs - 60_000).toUTCString();
    const notModified = await get({ 'if-none-match': etag });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body, '');
    assert.equal(notModified.headers.etag, etag);
    assert.equal((await get({ 'if-modified-since': later })).status, 304);
    assert.equal((await get({ 'if-modified-since': earlier })).status, 200);
    // Same second as Last-Modified: HTTP dates drop the milliseconds, so it is not modified since.
    assert.equal((await get({ 'if-modified-since': new Date(lastModifiedMs).toUTCString() })).status, 304);
    assert.equal((await get({ 'if-none-match': '"OTHER"' })).status, 200);
    const failed = await get({ 'if-match': '"OTHER"' });
    assert.equal(failed.status, 412);
    assert.equal(errorCode(failed.body), 'PreconditionFailed');
    assert.equal((await get({ 'if-match': etag })).status, 200);
    assert.equal((await get({ 'if-unmodified-since': earlier })).status, 412);
    assert.equal((await get({ 'if-unmodified-since': later })).status, 200);
  });

  it('HEAD returns the same headers without a body', async () => {
    const res = await exchange(server.port, { method: 'HEAD', path: '/pub/doc.txt' });
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-length'], '10');
    assert.equal(res.headers.etag, etag);
    assert.equal(res.headers['content-md5'], 'eB5eJF1ptWaXm4bijSPyxw==');
  });

  it('honours response-* overrides on signed requests only', async () => {
    const query = [['response-content-type', 'application/x-test']] as Array<[string, string]>;
    const anonymous = await exchange(server.port, { path: '/pub/doc.txt?response-content-type=text/html' });
    assert.equal(anonymous.headers['content-type'], 'text/plain; charset=utf-8');
    const { url } = presignUrlV1({
      method: 'GET',
      bucket: 'pub',
      key: 'doc.txt',
      query,
      accessKeyId: testAccessKeyId,
      secret: testAccessKeySecret,
      origin: `http://127.0.0.1:${server.port}`,
      pathStyle: true,
      expiresUnixSeconds: Math.floor(Date.now() / 1000) + 60,
    });
    const signed = await exchangeUrl(server.port, url);
    assert.equal(signed.status, 200, signed.body);
    assert.equal(signed.headers['content-type'], 'application/x-test');
  });
});

describe('GetObject streaming', () => {
  it('destroys the store stream when the client goes away mid-body', async () => {
    const store = new MemoryObjectStore();
    let served: Readable | undefined;
    // The real store, except that objects claim to be 1 TiB and every read streams forever.
    const huge = async (bucket: string, key: string) => {
      const meta = await store.head(bucket, key);
      return meta === undefined ? undefined : { ...meta, size: 2 ** 40 };
    };
    const endless = wrapStore(store, {
      head: huge,
      read: async (bucket, key) => {
        const meta = await huge(bucket, key);
        if (meta === undefined) return undefined;
        served = new Readable({
          read() {
            this.push(Buffer.alloc(16 * 1024, 0x61));
          },
        });
        return { meta, body: served };
      },
    });
    const server = await startTestServer({
      store: endless,
      config: { buckets: ['pub'], bucketAcl: 'public-read' },
    });
    try {
      await putTestObject(store, 'pub', 'big.bin', Buffer.alloc(1024));
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: '/pub/big.bin' }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.on('close', () => undefined);
        req.end();
        setTimeout(() => reject(new Error('no body arrived')), 5_000).unref();
      });
      for (let i = 0; i < 100 && served?.destroyed !== true; i += 1) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(served?.destroyed, true);
      // The server is still healthy afterwards.
      assert.equal((await exchange(server.port, { path: '/_upcall/health' })).status, 200);
    } finally {
      await server.close();
    }
  });
});
