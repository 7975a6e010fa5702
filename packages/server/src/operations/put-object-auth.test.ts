import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { presignUrlV1 } from '@upcall/protocol';
import { exchange } from '../http/testing/http-exchange.js';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../http/testing/start-test-server.js';
import { createAliOssClient } from '../http/testing/create-ali-oss-client.js';
import { signedExchange } from './testing/signed-exchange.js';

const xml = new XMLParser({ parseTagValue: false });
const errorOf = (body: string): { Code: string; Message: string } =>
  (xml.parse(body) as { Error: { Code: string; Message: string } }).Error;

describe('PutObject authentication', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
    await server.store.createBucket('open', 'public-read-write');
  });
  after(() => server.close());

  it('refuses a request that carries header and URL signatures together (threats §C1.5)', async () => {
    const { url } = presignUrlV1({
      method: 'PUT',
      bucket: 'uploads',
      key: 'p/two-auth.txt',
      accessKeyId: testAccessKeyId,
      secret: testAccessKeySecret,
      origin: `http://127.0.0.1:${server.port}`,
      pathStyle: true,
      expiresUnixSeconds: Math.floor(Date.now() / 1000) + 60,
    });
    const res = await exchange(server.port, {
      method: 'PUT',
      path: `/uploads/p/two-auth.txt${new URL(url).search}`,
      headers: { authorization: `OSS ${testAccessKeyId}:AAAA` },
      body: 'x',
    });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res.body).Code, 'InvalidArgument');
    assert.equal(await server.store.head('uploads', 'p/two-auth.txt'), undefined);
  });

  it('accepts requests carrying an STS token header, signed V1 and V4 (the token is signed, not checked)', async () => {
    for (const authorizationV4 of [false, true]) {
      const client = createAliOssClient({
        endpoint: `http://127.0.0.1:${server.port}`,
        bucket: 'uploads',
        accessKeyId: testAccessKeyId,
        accessKeySecret: testAccessKeySecret,
        stsToken: 'sts-token-value',
        authorizationV4,
      });
      const res = await client.put(`p/sts-${authorizationV4 ? 'v4' : 'v1'}.txt`, Buffer.from('sts'));
      assert.equal(res.res.status, 200);
    }
  });

  it('verifies V4 requests that sign extra headers through AdditionalHeaders', async () => {
    const client = createAliOssClient({
      endpoint: `http://127.0.0.1:${server.port}`,
      bucket: 'uploads',
      accessKeyId: testAccessKeyId,
      accessKeySecret: testAccessKeySecret,
      authorizationV4: true,
    });
    const res = await client.put('p/additional.txt', Buffer.from('a'), {
      headers: { 'X-Request-Tag': ' signed ' },
      additionalHeaders: ['X-Request-Tag'],
    });
    assert.equal(res.res.status, 200);
  });

  it('lets anonymous callers write only where the bucket ACL is public-read-write', async () => {
    const open = await signedExchange(server.port, {
      method: 'PUT',
      bucket: 'open',
      key: 'anon.txt',
      body: 'a',
      anonymous: true,
    });
    assert.equal(open.status, 200);
    const closed = await signedExchange(server.port, {
      method: 'PUT',
      bucket: 'uploads',
      key: 'anon.txt',
      body: 'a',
      anonymous: true,
    });
    assert.equal(closed.status, 403);
    assert.equal(await server.store.head('uploads', 'anon.txt'), undefined);
  });
});
