import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { presignUrlV1 } from '@upcall/protocol';
import { checkAnonymousAcl } from './authorize-request.js';
import { createAliOssClient, type AliOssClient } from './testing/create-ali-oss-client.js';
import { exchange, exchangeUrl } from './testing/http-exchange.js';
import {
  putTestObject,
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from './testing/start-test-server.js';

const xml = new XMLParser({ parseTagValue: false });
const errorCode = (body: string): string => (xml.parse(body) as { Error: { Code: string } }).Error.Code;

describe('auth dispatch with the official ali-oss client', () => {
  let server: TestServer;
  const clients: Record<'v1' | 'v4', AliOssClient> = {} as Record<'v1' | 'v4', AliOssClient>;

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
    for (const version of ['v1', 'v4'] as const) {
      clients[version] = createAliOssClient({
        endpoint: `http://127.0.0.1:${server.port}`,
        bucket: 'uploads',
        accessKeyId: testAccessKeyId,
        accessKeySecret: testAccessKeySecret,
        authorizationV4: version === 'v4',
      });
    }
  });
  after(() => server.close());

  for (const version of ['v1', 'v4'] as const) {
    it(`serves HEAD, GET and DELETE signed with ${version.toUpperCase()} header auth`, async () => {
      const key = `signed-${version}/hello +&.txt`;
      await putTestObject(server.store, 'uploads', key, 'hi oss', { contentType: 'text/plain' });
      const client = clients[version];
      const head = await client.head(key);
      assert.equal(head.status, 200);
      assert.equal(head.res.headers['x-oss-hash-crc64ecma'], '8707180448768400016');
      const got = await client.get(key);
      assert.equal(got.content.toString('utf8'), 'hi oss');
      assert.equal(got.res.headers['content-md5'], 'si4Nw3Cn9wZ/rPX3XX+jhQ==');
      await client.delete(key);
      assert.equal(await server.store.head('uploads', key), undefined);
    });
  }

  it('serves a V1 presigned GET URL made by ali-oss signatureUrl', async () => {
    await putTestObject(server.store, 'uploads', 'presigned/v1.txt', 'presigned v1');
    const client = createAliOssClient({
      endpoint: `http://localhost:${server.port}`,
      bucket: 'uploads',
      accessKeyId: testAccessKeyId,
      accessKeySecret: testAccessKeySecret,
    });
    const url = client.signatureUrl('presigned/v1.txt', { expires: 600 });
    assert.match(url, /^http:\/\/uploads\.localhost:\d+\/presigned\/v1\.txt\?/);
    const res = await exchangeUrl(server.port, url);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'presigned v1');
  });

  it('serves a V4 presigned GET URL made by ali-oss signatureUrlV4', async () => {
    await putTestObject(server.store, 'uploads', 'presigned/v4.txt', 'presigned v4');
    const client = createAliOssClient({
      endpoint: `http://localhost:${server.port}`,
      bucket: 'uploads',
      accessKeyId: testAccessKeyId,
      accessKeySecret: testAccessKeySecret,
      authorizationV4: true,
    });
    const url = await client.signatureUrlV4('GET', 600, { headers: {} }, 'presigned/v4.txt');
    const res = await exchangeUrl(server.port, url);
    assert.equal(res.status, 200, res.body);
    assert.equal(res.body, 'presigned v4');
  });

  it('refuses a presigned URL with a tampered signature, an expired one, and an unknown key', async () => {
    await putTestObject(server.store, 'uploads', 'presigned/guarded.txt', 'guarded');
    const sign = (expiresUnixSeconds: number, accessKeyId = testAccessKeyId) =>
      presignUrlV1({
        method: 'GET',
        bucket: 'uploads',
        key: 'presigned/guarded.txt',
        accessKeyId,
        secret: testAccessKeySecret,
        origin: `http://127.0.0.1:${server.port}`,
        pathStyle: true,
        expiresUnixSeconds,
      }).url;
    const valid = sign(Math.floor(Date.now() / 1000) + 600);
    assert.equal((await exchangeUrl(server.port, valid)).status, 200);
    const tampered = await exchangeUrl(server.port, valid.replace(/Signature=[^&]+/, 'Signature=AAAA'));
    assert.equal(tampered.status, 403);
    assert.equal(errorCode(tampered.body), 'SignatureDoesNotMatch');
    const expired = await exchangeUrl(server.port, sign(Math.floor(Date.now() / 1000) - 60));
    assert.equal(expired.status, 403);
    assert.equal(errorCode(expired.body), 'AccessDenied');
    const unknown = await exchangeUrl(server.port, sign(Math.floor(Date.now() / 1000) + 600, 'UPCNOBODY'));
    assert.equal(errorCode(unknown.body), 'InvalidAccessKeyId');
  });

  it('refuses a request that carries header and URL auth at once', async () => {
    const { url } = presignUrlV1({
      method: 'GET',
      bucket: 'uploads',
      key: 'presigned/guarded.txt',
      accessKeyId: testAccessKeyId,
      secret: testAccessKeySecret,
      origin: `http://127.0.0.1:${server.port}`,
      pathStyle: true,
      expiresUnixSeconds: Math.floor(Date.now() / 1000) + 600,
    });
    const res = await exchange(server.port, {
      path: `/uploads/presigned/guarded.txt${new URL(url).search}`,
      headers: { authorization: `OSS ${testAccessKeyId}:AAAA` },
    });
    assert.equal(res.status, 400);
    assert.equal(errorCode(res.body), 'InvalidArgument');
  });
});

describe('anonymous access follows bucket and object ACLs', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ config: { buckets: [] } });
    await server.store.createBucket('private-b', 'private');
    await server.store.createBucket('public-b', 'public-read');
    await server.store.createBucket('open-b', 'public-read-write');
    await putTestObject(server.store, 'private-b', 'inherits.txt', 'p');
    await putTestObject(server.store, 'private-b', 'shared.txt', 's', { acl: 'public-read' });
    await putTestObject(server.store, 'public-b', 'inherits.txt', 'r');
    await putTestObject(server.store, 'public-b', 'secret.txt', 'x', { acl: 'private' });
    await putTestObject(server.store, 'open-b', 'doomed.txt', 'd');
  });
  after(() => server.close());

  it('refuses anonymous reads on a private bucket with the OSS bucket-acl message', async () => {
    const res = await exchange(server.port, { path: '/private-b/inherits.txt' });
    assert.equal(res.status, 403);
    const error = (xml.parse(res.body) as { Error: { Code: string; Message: string } }).Error;
    assert.deepEqual(
      [error.Code, error.Message],
      ['AccessDenied', 'You have no right to access this object because of bucket acl.'],
    );
    // Missing keys in a private bucket do not leak: AccessDenied, not NoSuchKey.
    assert.equal(
      errorCode((await exchange(server.port, { path: '/private-b/none.txt' })).body),
      'AccessDenied',
    );
  });

  it('lets an object ACL open or close access regardless of its bucket (default inherits)', async () => {
    assert.equal((await exchange(server.port, { path: '/private-b/shared.txt' })).body, 's');
    assert.equal((await exchange(server.port, { path: '/public-b/inherits.txt' })).body, 'r');
    assert.equal((await exchange(server.port, { path: '/public-b/secret.txt' })).status, 403);
    assert.equal((await exchange(server.port, { path: '/public-b/none.txt' })).status, 404);
  });

  it('allows anonymous listing of public buckets only', async () => {
    assert.equal((await exchange(server.port, { path: '/public-b/' })).status, 200);
    assert.equal((await exchange(server.port, { path: '/private-b/' })).status, 403);
  });

  it('allows anonymous deletes only on public-read-write buckets', async () => {
    assert.equal(
      (await exchange(server.port, { method: 'DELETE', path: '/public-b/inherits.txt' })).status,
      403,
    );
    assert.equal((await exchange(server.port, { method: 'DELETE', path: '/open-b/doomed.txt' })).status, 204);
    assert.equal(await server.store.head('open-b', 'doomed.txt'), undefined);
  });

  it('never lets an anonymous caller create a bucket', async () => {
    const res = await exchange(server.port, { method: 'PUT', path: '/new-bucket' });
    assert.equal(res.status, 403);
    assert.equal(await server.store.getBucket('new-bucket'), undefined);
  });

  it('checkAnonymousAcl: read needs public-read(-write), write needs public-read-write, never is never', () => {
    assert.equal(checkAnonymousAcl('private', 'read'), false);
    assert.equal(checkAnonymousAcl('public-read', 'read'), true);
    assert.equal(checkAnonymousAcl('public-read', 'write'), false);
    assert.equal(checkAnonymousAcl('public-read-write', 'write'), true);
    assert.equal(checkAnonymousAcl('public-read-write', 'never'), false);
  });
});
