import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { crc64Ecma } from '@upcall/protocol';
import { putTestObject, startTestServer, type TestServer } from '../../http/testing/start-test-server.js';
import { readErrorCode } from '../post-object/testing/post-form-client.js';
import {
  buildCompleteXml,
  catchAliOssError,
  createMultipartClient,
  kib,
  md5Base64,
  sendForged,
  sendSigned,
  testBucket,
  uploadTestParts,
  type AliOssMultipartClient,
} from './testing/multipart-test-kit.js';

const xml = new XMLParser({ parseTagValue: false });

describe('CompleteMultipartUpload', () => {
  let server: TestServer;
  let client: AliOssMultipartClient;

  before(async () => {
    server = await startTestServer({ config: { buckets: [testBucket] } });
    client = createMultipartClient(server, 'v1');
  });
  after(() => server.close());

  const complete = (key: string, uploadId: string, body: string, headers: Record<string, string> = {}) =>
    sendSigned(server, {
      method: 'POST',
      key,
      query: [['uploadId', uploadId]],
      headers: { 'content-type': 'application/xml', ...headers },
      body,
    });

  const uploadStillOpen = async (key: string, uploadId: string): Promise<boolean> =>
    (await server.store.multipart.getUpload(testBucket, key, uploadId)) !== undefined;

  it('answers the S3-shaped result with the multipart ETag and the combined CRC-64', async () => {
    const key = 'result/a&b <c>.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 100 * kib, 7]);
    const res = await complete(key, up.uploadId, buildCompleteXml(up.parts));
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/xml');
    const result = (xml.parse(res.body) as { CompleteMultipartUploadResult: Record<string, string> })
      .CompleteMultipartUploadResult;
    assert.equal(result.Bucket, testBucket);
    assert.equal(result.Key, key);
    assert.match(String(result.ETag), /^"[0-9A-F]{32}-3"$/);
    assert.equal(res.headers.etag, result.ETag);
    assert.equal(result.Location, `${server.url}/${testBucket}/result/a%26b%20%3Cc%3E.bin`);
    assert.equal(res.headers['x-oss-hash-crc64ecma'], crc64Ecma(up.bytes));
    const stored = await server.store.head(testBucket, key);
    assert.equal(stored?.size, up.bytes.length);
    assert.equal(stored?.contentMd5, '');
  });

  it('URL-encodes the key and says so under encoding-type=url', async () => {
    const key = 'encoded/a b+c.txt';
    const up = await uploadTestParts(client, key, [10]);
    const res = await sendSigned(server, {
      method: 'POST',
      key,
      query: [
        ['uploadId', up.uploadId],
        ['encoding-type', 'url'],
      ],
      body: buildCompleteXml(up.parts),
    });
    assert.equal(res.status, 200, res.body);
    assert.ok(res.body.includes('<EncodingType>url</EncodingType>'), res.body);
    assert.ok(res.body.includes('<Key>encoded%2Fa%20b%2Bc.txt</Key>'), res.body);
  });

  it('refuses parts listed out of order with InvalidPartOrder and keeps the upload', async () => {
    const key = 'order/x.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 100 * kib]);
    const res = await complete(key, up.uploadId, buildCompleteXml([...up.parts].reverse()));
    assert.equal(res.status, 400);
    assert.equal(readErrorCode(res.body), 'InvalidPartOrder');
    assert.ok(await uploadStillOpen(key, up.uploadId));
    assert.equal(await server.store.head(testBucket, key), undefined);
  });

  it('refuses a repeated part number as InvalidPartOrder', async () => {
    const key = 'order/twice.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 5]);
    const [first] = up.parts;
    const res = await complete(key, up.uploadId, buildCompleteXml([first!, first!]));
    assert.equal(res.status, 400);
    assert.equal(readErrorCode(res.body), 'InvalidPartOrder');
  });

  it('refuses an unknown part or a wrong ETag with InvalidPart, ignoring quotes and case', async () => {
    const key = 'invalid/part.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 5]);
    const [one, two] = up.parts;
    const wrongEtag = await catchAliOssError(
      client.completeMultipartUpload(key, up.uploadId, [
        { number: 1, etag: one!.etag },
        { number: 2, etag: '"0123456789ABCDEF0123456789ABCDEF"' },
      ]),
    );
    assert.equal(wrongEtag.status, 400);
    assert.equal(wrongEtag.code, 'InvalidPart');
    const missing = await complete(key, up.uploadId, buildCompleteXml([one!, { ...two!, partNumber: 3 }]));
    assert.equal(readErrorCode(missing.body), 'InvalidPart');
    // Unquoted, lower-case ETags are the same ETags.
    const loose = up.parts.map((p) => ({ ...p, etag: p.etag.replaceAll('"', '').toLowerCase() }));
    const done = await complete(key, up.uploadId, buildCompleteXml(loose));
    assert.equal(done.status, 200, done.body);
  });

  it('refuses a part below 100 KiB that is not the last one with EntityTooSmall', async () => {
    const key = 'small/parts.bin';
    const up = await uploadTestParts(client, key, [100 * kib - 1, 100 * kib]);
    const failed = await catchAliOssError(
      client.completeMultipartUpload(
        key,
        up.uploadId,
        up.parts.map((p) => ({ number: p.partNumber, etag: p.etag })),
      ),
    );
    assert.equal(failed.status, 400);
    assert.equal(failed.code, 'EntityTooSmall');
    assert.ok(await uploadStillOpen(key, up.uploadId));
    // Completing with only the first part makes it the last one, which may be small.
    const res = await complete(key, up.uploadId, buildCompleteXml(up.parts.slice(0, 1)));
    assert.equal(res.status, 200, res.body);
    assert.equal((await server.store.head(testBucket, key))?.size, 100 * kib - 1);
  });

  it('answers NoSuchUpload to a repeated Complete of the same upload (threats §C5.49)', async () => {
    const key = 'repeat/once.bin';
    const up = await uploadTestParts(client, key, [3]);
    const first = await complete(key, up.uploadId, buildCompleteXml(up.parts));
    assert.equal(first.status, 200);
    const again = await complete(key, up.uploadId, buildCompleteXml(up.parts));
    assert.equal(again.status, 404);
    assert.equal(readErrorCode(again.body), 'NoSuchUpload');
    assert.ok(again.body.includes(`<UploadId>${up.uploadId}</UploadId>`));
    const unknown = await catchAliOssError(client.completeMultipartUpload(key, 'F'.repeat(32), []));
    assert.equal(unknown.code, 'NoSuchUpload');
  });

  it('refuses a DOCTYPE, a wrong root and malformed parts as MalformedXML, leaving the upload completable', async () => {
    const key = 'xml/hostile.bin';
    const up = await uploadTestParts(client, key, [4]);
    const part = up.parts[0]!;
    const bodies = [
      `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&e;</ETag></Part></CompleteMultipartUpload>`,
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>',
      '<Complete><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Complete>',
      '<CompleteMultipartUpload></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>',
      `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>1</PartNumber><ETag>${part.etag}</ETag></Part></CompleteMultipartUpload>`,
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      '',
    ];
    for (const body of bodies) {
      const res = await complete(key, up.uploadId, body);
      assert.equal(res.status, 400, body);
      assert.equal(readErrorCode(res.body), 'MalformedXML', body);
      assert.ok(!res.body.includes('root:'), 'no file content is echoed');
    }
    const done = await complete(key, up.uploadId, buildCompleteXml(up.parts));
    assert.equal(done.status, 200, done.body);
  });

  it('checks a Content-MD5 of the body and caps the body size', async () => {
    const key = 'xml/digest.bin';
    const up = await uploadTestParts(client, key, [4]);
    const body = buildCompleteXml(up.parts);
    const wrong = await complete(key, up.uploadId, body, { 'content-md5': md5Base64('other') });
    assert.equal(readErrorCode(wrong.body), 'InvalidDigest');
    const huge = await complete(key, up.uploadId, `<CompleteMultipartUpload>${' '.repeat(4 * 1024 * 1024)}`);
    assert.equal(huge.status, 400);
    assert.equal(readErrorCode(huge.body), 'InvalidArgument');
    const right = await complete(key, up.uploadId, body, { 'content-md5': md5Base64(body) });
    assert.equal(right.status, 200, right.body);
  });

  it('completes every part in order with x-oss-complete-all: yes, which takes no body', async () => {
    const key = 'all/parts.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 100 * kib, 9]);
    const withBody = await complete(key, up.uploadId, buildCompleteXml(up.parts), {
      'x-oss-complete-all': 'yes',
    });
    assert.equal(withBody.status, 400);
    assert.equal(readErrorCode(withBody.body), 'InvalidArgument');
    assert.ok(withBody.body.includes('<EC>0042-00000216</EC>'), withBody.body);
    const res = await complete(key, up.uploadId, '', { 'x-oss-complete-all': 'yes' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['x-oss-hash-crc64ecma'], crc64Ecma(up.bytes));
    const got = await client.get(key);
    assert.ok(got.content.equals(up.bytes));
  });

  it('answers FileAlreadyExists under x-oss-forbid-overwrite and keeps the upload', async () => {
    const key = 'forbid/existing.txt';
    await putTestObject(server.store, testBucket, key, 'old');
    const up = await uploadTestParts(client, key, [6]);
    const refused = await complete(key, up.uploadId, buildCompleteXml(up.parts), {
      'x-oss-forbid-overwrite': 'true',
    });
    assert.equal(refused.status, 409);
    assert.equal(readErrorCode(refused.body), 'FileAlreadyExists');
    assert.ok(await uploadStillOpen(key, up.uploadId));
    assert.equal((await client.get(key)).content.toString(), 'old');
    const replaced = await complete(key, up.uploadId, buildCompleteXml(up.parts));
    assert.equal(replaced.status, 200, replaced.body);
    assert.ok((await client.get(key)).content.equals(up.bytes));
  });

  it('refuses every multipart step with a valid AccessKeyId but a garbage signature, changing nothing', async () => {
    const key = 'auth/forged.bin';
    const up = await uploadTestParts(client, key, [5]);
    const steps = [
      { method: 'POST', key, query: [['uploads', '']] },
      {
        method: 'PUT',
        key,
        query: [
          ['partNumber', '2'],
          ['uploadId', up.uploadId],
        ],
        body: 'forged',
      },
      { method: 'POST', key, query: [['uploadId', up.uploadId]], body: buildCompleteXml(up.parts) },
      { method: 'DELETE', key, query: [['uploadId', up.uploadId]] },
      { method: 'GET', key, query: [['uploadId', up.uploadId]] },
      { method: 'GET', query: [['uploads', '']] },
    ] as const;
    for (const step of steps) {
      const res = await sendForged(server, step);
      assert.equal(res.status, 403, `${step.method} ${JSON.stringify(step.query)}`);
      assert.equal(readErrorCode(res.body), 'SignatureDoesNotMatch');
    }
    const parts = await server.store.multipart.listParts(testBucket, key, up.uploadId, { maxParts: 10 });
    assert.deepEqual(
      parts.parts.map((p) => p.partNumber),
      [1],
    );
    const uploads = await server.store.multipart.listUploads(testBucket, { prefix: key, maxUploads: 10 });
    assert.equal(uploads.uploads.length, 1);
    assert.equal(await server.store.head(testBucket, key), undefined);
  });
});
