import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { exchange } from './testing/http-exchange.js';
import { putTestObject, startTestServer, type TestServer } from './testing/start-test-server.js';

const xml = new XMLParser({ parseTagValue: false });

function parseError(body: string): Record<string, string> {
  return (xml.parse(body) as { Error: Record<string, string> }).Error;
}

describe('HTTP core: addressing, exchange headers and the error pipeline', () => {
  let server: TestServer;
  let ids = 0;

  before(async () => {
    server = await startTestServer({
      newRequestId: () => `5C3D9175B6FC2012${String(++ids).padStart(8, '0')}`,
      config: { buckets: ['uploads', 'public'], bucketAcl: 'private' },
    });
    await putTestObject(server.store, 'uploads', 'dir/hello.txt', 'hi oss');
  });
  after(() => server.close());

  it('stamps every response with x-oss-request-id, Server: AliyunOSS and Date', async () => {
    const res = await exchange(server.port, { path: '/_upcall/health' });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
    assert.equal(res.headers.server, 'AliyunOSS');
    assert.ok(!Number.isNaN(Date.parse(String(res.headers.date))));
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });

  it('serves the callback public key at the printed URL', async () => {
    const url = new URL(server.deps.callbackKey.publicKeyUrl);
    assert.match(url.pathname, /^\/_upcall\/callback-public-key-[0-9a-f]{32}\.pem$/);
    const res = await exchange(server.port, { path: url.pathname });
    assert.equal(res.status, 200);
    assert.equal(res.body, server.deps.callbackKey.publicKeyPem);
    assert.match(res.body, /^-----BEGIN PUBLIC KEY-----\n/);
  });

  it('answers OSS error XML with RequestId, HostId, EC, x-oss-ec and nosniff', async () => {
    const res = await exchange(server.port, {
      path: '/missing-key.txt',
      headers: { host: 'nobucket.oss-cn-hangzhou.aliyuncs.com' },
    });
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-oss-ec'], '0015-00000101');
    const error = parseError(res.body);
    assert.equal(error.Code, 'NoSuchBucket');
    assert.equal(error.BucketName, 'nobucket');
    assert.equal(error.RequestId, res.headers['x-oss-request-id']);
    assert.equal(error.HostId, 'nobucket.oss-cn-hangzhou.aliyuncs.com');
    assert.equal(error.EC, '0015-00000101');
  });

  it('resolves the bucket from an aliyuncs.com Host sent to 127.0.0.1 (virtual-hosted)', async () => {
    // Anonymous on a private bucket: the bucket was found (not NoSuchBucket), the ACL refused.
    const res = await exchange(server.port, {
      path: '/dir/hello.txt',
      headers: { host: 'uploads.oss-cn-hangzhou.aliyuncs.com' },
    });
    assert.equal(res.status, 403);
    const error = parseError(res.body);
    assert.equal(error.Code, 'AccessDenied');
    assert.equal(error.Message, 'You have no right to access this object because of bucket acl.');
  });

  it('resolves the bucket from the first path segment when Host is the IP endpoint (path style)', async () => {
    const res = await exchange(server.port, { path: '/uploads/dir/hello.txt' });
    assert.equal(res.status, 403);
    assert.equal(parseError(res.body).Code, 'AccessDenied');
    const missing = await exchange(server.port, { path: '/absent/dir/hello.txt' });
    assert.equal(parseError(missing.body).Code, 'NoSuchBucket');
  });

  it('sends a HEAD error without a body but with the XML Base64-encoded in x-oss-err', async () => {
    await server.store.createBucket('open', 'public-read');
    const res = await exchange(server.port, { method: 'HEAD', path: '/open/nothing-here' });
    assert.equal(res.status, 404);
    assert.equal(res.body, '');
    const decoded = Buffer.from(String(res.headers['x-oss-err']), 'base64').toString('utf8');
    const error = parseError(decoded);
    assert.equal(error.Code, 'NoSuchKey');
    assert.equal(error.Key, 'nothing-here');
    assert.equal(error.RequestId, res.headers['x-oss-request-id']);
  });

  it('escapes a reflected key in the error XML and keeps it well-formed', async () => {
    await server.store.createBucket('reflect', 'public-read');
    const key = '<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>&]]>';
    const res = await exchange(server.port, { path: `/reflect/${encodeURIComponent(key)}` });
    assert.equal(res.status, 404);
    assert.ok(!res.body.includes('<script'));
    assert.equal(parseError(res.body).Key, key);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('answers InvalidObjectName for bad percent-encoding and control characters in keys', async () => {
    for (const path of ['/uploads/%E4%B8', '/uploads/a%00b', '/uploads/%FF']) {
      const res = await exchange(server.port, { path });
      assert.equal(res.status, 400, path);
      assert.equal(parseError(res.body).Code, 'InvalidObjectName', path);
    }
  });

  it('answers KeyTooLong for a key over 1023 bytes', async () => {
    const res = await exchange(server.port, { path: `/uploads/${'k'.repeat(1024)}` });
    assert.equal(parseError(res.body).Code, 'KeyTooLong');
  });

  it('refuses methods outside the dispatch table: 405 MethodNotAllowed, known OSS operations 501', async () => {
    const patch = await exchange(server.port, { method: 'PATCH', path: '/uploads/dir/hello.txt' });
    assert.equal(patch.status, 405);
    assert.equal(parseError(patch.body).Code, 'MethodNotAllowed');
    const acl = await exchange(server.port, { path: '/uploads/dir/hello.txt?acl' });
    assert.equal(acl.status, 501);
    assert.equal(parseError(acl.body).Code, 'NotImplemented');
    const postToKey = await exchange(server.port, { method: 'POST', path: '/uploads/dir/hello.txt' });
    assert.equal(postToKey.status, 405);
  });

  it('never treats /_upcall/ as a bucket and answers unknown server paths with 404', async () => {
    const res = await exchange(server.port, { path: '/_upcall/nothing' });
    assert.equal(res.status, 404);
    const post = await exchange(server.port, { method: 'POST', path: '/_upcall/health' });
    assert.equal(post.status, 405);
  });

  it('routes POST / on a bucket to the PostObject operation', async () => {
    const res = await exchange(server.port, {
      method: 'POST',
      path: '/',
      headers: { host: 'uploads.localhost', 'content-type': 'text/plain' },
      body: 'x',
    });
    // The PostObject operation decides (NotImplemented placeholder or its own form-validation error).
    assert.notEqual(res.status, 405);
    assert.equal(res.headers['content-type'], 'application/xml');
  });
});
