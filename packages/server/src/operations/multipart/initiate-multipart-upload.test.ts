import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { putTestObject, startTestServer, type TestServer } from '../../http/testing/start-test-server.js';
import { readErrorCode } from '../post-object/testing/post-form-client.js';
import { buildCompleteXml, sendSigned, testBucket } from './testing/multipart-test-kit.js';

describe('InitiateMultipartUpload', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ config: { buckets: [testBucket] } });
  });
  after(() => server.close());

  const initiate = (key: string, headers: Record<string, string> = {}, query: Array<[string, string]> = []) =>
    sendSigned(server, { method: 'POST', key, query: [['uploads', ''], ...query], headers });

  const readUploadId = (body: string): string => /<UploadId>([0-9A-F]{32})<\/UploadId>/.exec(body)?.[1] ?? '';

  it('stores the object properties from the headers for the completed object', async () => {
    const key = 'init/report.pdf';
    const res = await initiate(key, {
      'cache-control': 'no-cache',
      'content-disposition': 'attachment; filename="r.pdf"',
      'x-oss-meta-owner': 'eric',
      'x-oss-object-acl': 'public-read',
      'x-oss-storage-class': 'ia',
    });
    assert.equal(res.status, 200, res.body);
    assert.ok(res.body.includes(`<Bucket>${testBucket}</Bucket><Key>${key}</Key>`), res.body);
    const uploadId = readUploadId(res.body);
    const part = await sendSigned(server, {
      method: 'PUT',
      key,
      query: [
        ['partNumber', '1'],
        ['uploadId', uploadId],
      ],
      body: '%PDF',
    });
    const done = await sendSigned(server, {
      method: 'POST',
      key,
      query: [['uploadId', uploadId]],
      body: buildCompleteXml([{ partNumber: 1, etag: String(part.headers.etag) }]),
    });
    assert.equal(done.status, 200, done.body);
    const meta = await server.store.head(testBucket, key);
    assert.equal(meta?.contentType, 'application/pdf', 'guessed from the key without a Content-Type');
    assert.deepEqual(meta?.headers, {
      'Cache-Control': 'no-cache',
      'Content-Disposition': 'attachment; filename="r.pdf"',
    });
    assert.deepEqual(meta?.userMeta, { owner: 'eric' });
    assert.equal(meta?.acl, 'public-read');
    assert.equal(meta?.storageClass, 'IA');
  });

  it('escapes the key in XML, or URL-encodes it under encoding-type=url', async () => {
    const key = 'init/<a>&"b".txt';
    const plain = await initiate(key);
    assert.ok(plain.body.includes('<Key>init/&lt;a&gt;&amp;&quot;b&quot;.txt</Key>'), plain.body);
    const encoded = await initiate(key, {}, [['encoding-type', 'url']]);
    assert.ok(encoded.body.includes(`<Key>${encodeURIComponent(key)}</Key>`), encoded.body);
    assert.ok(encoded.body.includes('<EncodingType>url</EncodingType>'), encoded.body);
  });

  it('refuses invalid properties before opening an upload', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'x-oss-storage-class': 'Glacier' }, 'InvalidArgument'],
      [{ 'x-oss-object-acl': 'everyone' }, 'InvalidArgument'],
      [{ 'x-oss-server-side-encryption': 'ROT13' }, 'InvalidEncryptionAlgorithmError'],
    ];
    for (const [headers, code] of cases) {
      const res = await initiate('init/refused.bin', headers);
      assert.equal(res.status, 400, JSON.stringify(headers));
      assert.equal(readErrorCode(res.body), code);
    }
    const listed = await server.store.multipart.listUploads(testBucket, {
      prefix: 'init/refused',
      maxUploads: 10,
    });
    assert.deepEqual(listed.uploads, []);
  });

  it('answers FileAlreadyExists at once under x-oss-forbid-overwrite when the key exists', async () => {
    await putTestObject(server.store, testBucket, 'init/taken.txt', 'here');
    const res = await initiate('init/taken.txt', { 'x-oss-forbid-overwrite': 'true' });
    assert.equal(res.status, 409);
    assert.equal(readErrorCode(res.body), 'FileAlreadyExists');
    const free = await initiate('init/free.txt', { 'x-oss-forbid-overwrite': 'true' });
    assert.equal(free.status, 200);
  });
});
