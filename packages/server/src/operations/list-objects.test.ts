import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { signRequestV1Header } from '@upcall/protocol';
import { createAliOssClient, type AliOssClient } from '../http/testing/create-ali-oss-client.js';
import { exchange } from '../http/testing/http-exchange.js';
import {
  putTestObject,
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../http/testing/start-test-server.js';

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => name === 'Contents' || name === 'CommonPrefixes',
});

interface ListResult {
  Name: string;
  IsTruncated: string;
  NextMarker?: string;
  Contents?: Array<{ Key: string; Size: string; ETag: string }>;
  CommonPrefixes?: Array<{ Prefix: string }>;
}

const parseList = (body: string): ListResult =>
  (xml.parse(body) as { ListBucketResult: ListResult }).ListBucketResult;

function signedHeaders(method: string, bucket: string, headers: Record<string, string> = {}) {
  return signRequestV1Header({
    method,
    bucket,
    headers,
    accessKeyId: testAccessKeyId,
    secret: testAccessKeySecret,
    nowMs: Date.now(),
  }).headers as Record<string, string>;
}

describe('GetBucket (ListObjects v1)', () => {
  let server: TestServer;
  let client: AliOssClient;
  const keys = ['a.txt', 'photos/2024/x.jpg', 'photos/2024/y.jpg', 'photos/z.jpg', 'q&<>"\'.txt', 'zz/ü.txt'];

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
    for (const key of keys) await putTestObject(server.store, 'uploads', key, key);
    client = createAliOssClient({
      endpoint: `http://127.0.0.1:${server.port}`,
      bucket: 'uploads',
      accessKeyId: testAccessKeyId,
      accessKeySecret: testAccessKeySecret,
    });
  });
  after(() => server.close());

  it('lists every key in byte order for ali-oss, with XML-special keys intact', async () => {
    const result = await client.list({ 'max-keys': 100 });
    assert.deepEqual(
      result.objects?.map((o) => o.name),
      keys,
    );
    assert.equal(result.isTruncated, false);
  });

  it('folds keys under a delimiter into common prefixes', async () => {
    const result = await client.list({ prefix: 'photos/', delimiter: '/' });
    assert.deepEqual(
      result.objects?.map((o) => o.name),
      ['photos/z.jpg'],
    );
    assert.deepEqual(result.prefixes, ['photos/2024/']);
  });

  it('pages with max-keys and marker, reporting NextMarker', async () => {
    const headers = signedHeaders('GET', 'uploads');
    const first = parseList((await exchange(server.port, { path: '/uploads/?max-keys=2', headers })).body);
    assert.equal(first.IsTruncated, 'true');
    assert.deepEqual(
      first.Contents?.map((c) => c.Key),
      ['a.txt', 'photos/2024/x.jpg'],
    );
    assert.equal(first.NextMarker, 'photos/2024/x.jpg');
    const path = `/uploads/?max-keys=10&marker=${encodeURIComponent(first.NextMarker ?? '')}`;
    const second = parseList((await exchange(server.port, { path, headers })).body);
    assert.equal(second.IsTruncated, 'false');
    assert.equal(second.Contents?.[0]?.Key, 'photos/2024/y.jpg');
  });

  it('URL-encodes keys with encoding-type=url', async () => {
    const headers = signedHeaders('GET', 'uploads');
    const res = await exchange(server.port, { path: '/uploads/?encoding-type=url&prefix=zz', headers });
    assert.equal(parseList(res.body).Contents?.[0]?.Key, 'zz%2F%C3%BC.txt');
  });

  it('rejects max-keys outside 1–1000 with InvalidArgument', async () => {
    const headers = signedHeaders('GET', 'uploads');
    for (const value of ['0', '1001', 'ten']) {
      const res = await exchange(server.port, { path: `/uploads/?max-keys=${value}`, headers });
      assert.equal(res.status, 400, value);
    }
  });
});

describe('PutBucket and DeleteObject', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
  });
  after(() => server.close());

  it('creates a bucket with the requested ACL and refuses to create it twice', async () => {
    const headers = signedHeaders('PUT', 'fresh-bucket', { 'x-oss-acl': 'public-read' });
    const created = await exchange(server.port, { method: 'PUT', path: '/fresh-bucket', headers });
    assert.equal(created.status, 200, created.body);
    assert.equal((await server.store.getBucket('fresh-bucket'))?.acl, 'public-read');
    const again = await exchange(server.port, {
      method: 'PUT',
      path: '/fresh-bucket',
      headers: signedHeaders('PUT', 'fresh-bucket'),
    });
    assert.equal(again.status, 409);
  });

  it('answers DeleteObject with 204 whether or not the key existed', async () => {
    await putTestObject(server.store, 'uploads', 'gone.txt', 'x');
    for (let i = 0; i < 2; i += 1) {
      const headers = signRequestV1Header({
        method: 'DELETE',
        bucket: 'uploads',
        key: 'gone.txt',
        accessKeyId: testAccessKeyId,
        secret: testAccessKeySecret,
        nowMs: Date.now(),
      }).headers as Record<string, string>;
      const res = await exchange(server.port, { method: 'DELETE', path: '/uploads/gone.txt', headers });
      assert.equal(res.status, 204);
    }
    assert.equal(await server.store.head('uploads', 'gone.txt'), undefined);
  });
});
