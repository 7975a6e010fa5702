import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { crc64Ecma, signRequestV1Header } from '@upcall/protocol';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../../http/testing/start-test-server.js';
import { readErrorCode } from '../post-object/testing/post-form-client.js';
import {
  createMultipartClient,
  md5Base64,
  sendSigned,
  testBucket,
  type AliOssMultipartClient,
} from './testing/multipart-test-kit.js';

const maxObjectBytes = 64 * 1024;

/** A chunked UploadPart (no Content-Length), written in 8 KiB pieces, answered with status and body. */
function sendChunkedPart(
  server: TestServer,
  key: string,
  uploadId: string,
  size: number,
): Promise<[number, string]> {
  const query: Array<[string, string]> = [
    ['partNumber', '1'],
    ['uploadId', uploadId],
  ];
  const { headers } = signRequestV1Header({
    method: 'PUT',
    bucket: testBucket,
    key,
    query,
    headers: { 'transfer-encoding': 'chunked' },
    accessKeyId: testAccessKeyId,
    secret: testAccessKeySecret,
    nowMs: Date.now(),
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'PUT',
        path: `/${testBucket}/${key}?partNumber=1&uploadId=${uploadId}`,
        headers: headers as Record<string, string>,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve([res.statusCode ?? 0, Buffer.concat(chunks).toString()]));
      },
    );
    // The server may answer and close before every chunk is written; that is the point.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    for (let sent = 0; sent < size; sent += 8192) req.write(Buffer.alloc(Math.min(8192, size - sent), 1));
    req.end();
  });
}

describe('UploadPart', () => {
  let server: TestServer;
  let client: AliOssMultipartClient;

  before(async () => {
    server = await startTestServer({ config: { buckets: [testBucket], maxObjectBytes } });
    client = createMultipartClient(server, 'v1');
  });
  after(() => server.close());

  /** UploadPart of `body` as part `partNumber` (sent as given) of `uploadId`. */
  const putPart = (key: string, partNumber: string, uploadId: string, body: string, headers = {}) =>
    sendSigned(server, {
      method: 'PUT',
      key,
      query: [
        ['partNumber', partNumber],
        ['uploadId', uploadId],
      ],
      headers,
      body,
    });

  it('answers the quoted upper-case MD5 as ETag with the CRC-64 and Content-MD5 of the part', async () => {
    const { uploadId } = await client.initMultipartUpload('part/etag.txt');
    const res = await putPart('part/etag.txt', '7', uploadId, 'hi oss');
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.equal(res.headers['x-oss-hash-crc64ecma'], crc64Ecma(Buffer.from('hi oss')));
    assert.equal(res.headers['content-md5'], 'si4Nw3Cn9wZ/rPX3XX+jhQ==');
    const listed = await server.store.multipart.listParts(testBucket, 'part/etag.txt', uploadId, {
      maxParts: 10,
    });
    assert.deepEqual(
      listed.parts.map((p) => [p.partNumber, p.size]),
      [[7, 6]],
    );
  });

  it('refuses part numbers outside 1…10000 with InvalidArgument before reading the body', async () => {
    const { uploadId } = await client.initMultipartUpload('part/numbers.txt');
    for (const partNumber of ['0', '10001', '-1', '1.5', 'x', '', '00000000001']) {
      const res = await putPart('part/numbers.txt', partNumber, uploadId, 'a');
      assert.equal(res.status, 400, partNumber);
      assert.equal(readErrorCode(res.body), 'InvalidArgument', partNumber);
      assert.ok(res.body.includes('<ArgumentName>partNumber</ArgumentName>'), res.body);
    }
    const ok = await putPart('part/numbers.txt', '10000', uploadId, 'a');
    assert.equal(ok.status, 200);
  });

  it('answers NoSuchUpload for an unknown, aborted or other-key upload id', async () => {
    const { uploadId } = await client.initMultipartUpload('part/mine.txt');
    const otherKey = await putPart('part/theirs.txt', '1', uploadId, 'a');
    assert.equal(otherKey.status, 404);
    assert.equal(readErrorCode(otherKey.body), 'NoSuchUpload');
    await client.abortMultipartUpload('part/mine.txt', uploadId);
    const aborted = await putPart('part/mine.txt', '1', uploadId, 'a');
    assert.equal(readErrorCode(aborted.body), 'NoSuchUpload');
    const abortAgain = await sendSigned(server, {
      method: 'DELETE',
      key: 'part/mine.txt',
      query: [['uploadId', uploadId]],
    });
    assert.equal(abortAgain.status, 404);
    assert.equal(readErrorCode(abortAgain.body), 'NoSuchUpload');
    const empty = await putPart('part/mine.txt', '1', '', 'a');
    assert.equal(readErrorCode(empty.body), 'InvalidArgument');
  });

  it('refuses a body that does not match its Content-MD5 and stores no part', async () => {
    const { uploadId } = await client.initMultipartUpload('part/digest.txt');
    const wrong = await putPart('part/digest.txt', '1', uploadId, 'hello', {
      'content-md5': md5Base64('other'),
    });
    assert.equal(wrong.status, 400);
    assert.equal(readErrorCode(wrong.body), 'InvalidDigest');
    const malformed = await putPart('part/digest.txt', '1', uploadId, 'hello', { 'content-md5': 'not-md5' });
    assert.equal(readErrorCode(malformed.body), 'InvalidDigest');
    const listed = await server.store.multipart.listParts(testBucket, 'part/digest.txt', uploadId, {
      maxParts: 10,
    });
    assert.deepEqual(listed.parts, []);
    const right = await putPart('part/digest.txt', '1', uploadId, 'hello', {
      'content-md5': md5Base64('hello'),
    });
    assert.equal(right.status, 200);
  });

  it('refuses a part above the size limit, declared or chunked, and stores nothing', async () => {
    const key = 'part/large.bin';
    const { uploadId } = await client.initMultipartUpload(key);
    const declared = await putPart(key, '1', uploadId, 'x'.repeat(maxObjectBytes + 1));
    assert.equal(declared.status, 400);
    assert.equal(readErrorCode(declared.body), 'EntityTooLarge');
    const [status, body] = await sendChunkedPart(server, key, uploadId, maxObjectBytes + 50_000);
    assert.equal(status, 400);
    assert.equal(readErrorCode(body), 'EntityTooLarge');
    const listed = await server.store.multipart.listParts(testBucket, key, uploadId, { maxParts: 10 });
    assert.deepEqual(listed.parts, []);
  });

  it('refuses UploadPartCopy (x-oss-copy-source) as NotImplemented instead of storing an empty part', async () => {
    const { uploadId } = await client.initMultipartUpload('part/copy.txt');
    const res = await putPart('part/copy.txt', '1', uploadId, '', {
      'x-oss-copy-source': `/${testBucket}/part/etag.txt`,
    });
    assert.equal(res.status, 501);
    assert.equal(readErrorCode(res.body), 'NotImplemented');
    const listed = await server.store.multipart.listParts(testBucket, 'part/copy.txt', uploadId, {
      maxParts: 10,
    });
    assert.deepEqual(listed.parts, []);
  });
});
