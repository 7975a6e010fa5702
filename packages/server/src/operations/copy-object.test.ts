import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { putTestObject, startTestServer, type TestServer } from '../http/testing/start-test-server.js';
import { signedExchange } from './testing/signed-exchange.js';

const xml = new XMLParser({ parseTagValue: false });
const codeOf = (body: string): string => (xml.parse(body) as { Error: { Code: string } }).Error.Code;

describe('CopyObject', () => {
  let server: TestServer;
  let sourceEtag = '';
  const copy = (key: string, headers: Record<string, string>, bucket = 'uploads', anonymous = false) =>
    signedExchange(server.port, { method: 'PUT', bucket, key, headers, anonymous });

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
    await server.store.createBucket('open', 'public-read-write');
    await server.store.createBucket('shelf', 'public-read');
    const meta = await putTestObject(server.store, 'uploads', 'src/a+b ü.txt', 'source body', {
      contentType: 'text/x-source',
      headers: { 'Cache-Control': 'no-store' },
      userMeta: { origin: 'src' },
    });
    sourceEtag = meta.etag;
    await putTestObject(server.store, 'shelf', 'public.txt', 'shelf body');
  });
  after(() => server.close());

  it('copies bytes and metadata (COPY) and answers CopyObjectResult with ETag and LastModified', async () => {
    const res = await copy('dst/copy.txt', {
      'x-oss-copy-source': `/uploads/${encodeURIComponent('src/a+b ü.txt')}`,
    });
    assert.equal(res.status, 200, res.body);
    const result = (xml.parse(res.body) as { CopyObjectResult: { ETag: string; LastModified: string } })
      .CopyObjectResult;
    assert.equal(result.ETag, sourceEtag);
    assert.match(result.LastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const meta = await server.store.head('uploads', 'dst/copy.txt');
    assert.equal(meta?.contentType, 'text/x-source');
    assert.deepEqual(meta?.headers, { 'Cache-Control': 'no-store' });
    assert.deepEqual(meta?.userMeta, { origin: 'src' });
    assert.equal(meta?.size, 'source body'.length);
  });

  it('takes the metadata from the request with REPLACE and keeps `/` literal in the source key', async () => {
    const res = await copy('dst/replaced.txt', {
      'x-oss-copy-source': '/uploads/src/a%2Bb%20%C3%BC.txt',
      'x-oss-metadata-directive': 'REPLACE',
      'content-type': 'text/plain',
      'x-oss-meta-stage': 'two',
    });
    assert.equal(res.status, 200, res.body);
    const meta = await server.store.head('uploads', 'dst/replaced.txt');
    assert.equal(meta?.contentType, 'text/plain');
    assert.deepEqual(meta?.userMeta, { stage: 'two' });
    assert.deepEqual(meta?.headers, {});
  });

  it('answers NoSuchKey, NoSuchBucket, InvalidArgument and NotImplemented for bad sources', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ 'x-oss-copy-source': '/uploads/missing.txt' }, 404, 'NoSuchKey'],
      [{ 'x-oss-copy-source': '/no-such-bucket/k' }, 404, 'NoSuchBucket'],
      [{ 'x-oss-copy-source': '/uploads' }, 400, 'InvalidArgument'],
      [{ 'x-oss-copy-source': '/uploads/src%ZZ' }, 400, 'InvalidArgument'],
      [{ 'x-oss-copy-source': '/uploads/k?versionId=1' }, 501, 'NotImplemented'],
      [
        { 'x-oss-copy-source': '/uploads/src/a', 'x-oss-metadata-directive': 'MERGE' },
        400,
        'InvalidArgument',
      ],
      [{ 'x-oss-copy-source': '/uploads/src/a', 'x-oss-callback': 'e30=' }, 501, 'NotImplemented'],
    ];
    for (const [headers, status, code] of cases) {
      const res = await copy('dst/bad.txt', headers);
      assert.equal(res.status, status, JSON.stringify(headers));
      assert.equal(codeOf(res.body), code, JSON.stringify(headers));
    }
    assert.equal(await server.store.head('uploads', 'dst/bad.txt'), undefined);
  });

  it('evaluates x-oss-copy-source-if-* against the source: 412 or 304, and copies when they hold', async () => {
    const source = { 'x-oss-copy-source': `/uploads/${encodeURIComponent('src/a+b ü.txt')}` };
    const failed = await copy('dst/cond.txt', { ...source, 'x-oss-copy-source-if-match': '"NOPE"' });
    assert.equal(failed.status, 412);
    assert.equal(codeOf(failed.body), 'PreconditionFailed');
    const notModified = await copy('dst/cond.txt', {
      ...source,
      'x-oss-copy-source-if-none-match': sourceEtag,
    });
    assert.equal(notModified.status, 304);
    assert.equal(await server.store.head('uploads', 'dst/cond.txt'), undefined);
    const ok = await copy('dst/cond.txt', { ...source, 'x-oss-copy-source-if-match': sourceEtag });
    assert.equal(ok.status, 200);
  });

  it('honours x-oss-forbid-overwrite on the destination', async () => {
    const source = { 'x-oss-copy-source': '/shelf/public.txt' };
    assert.equal((await copy('dst/once.txt', source)).status, 200);
    const again = await copy('dst/once.txt', { ...source, 'x-oss-forbid-overwrite': 'true' });
    assert.equal(again.status, 409);
    assert.equal(codeOf(again.body), 'FileAlreadyExists');
  });

  it('requires an anonymous caller to be able to read the source, not only write the destination', async () => {
    const privateSource = await copy(
      'stolen.txt',
      { 'x-oss-copy-source': '/uploads/dst/copy.txt' },
      'open',
      true,
    );
    assert.equal(privateSource.status, 403);
    assert.equal(codeOf(privateSource.body), 'AccessDenied');
    assert.equal(await server.store.head('open', 'stolen.txt'), undefined);
    const publicSource = await copy('shared.txt', { 'x-oss-copy-source': '/shelf/public.txt' }, 'open', true);
    assert.equal(publicSource.status, 200);
  });
});
