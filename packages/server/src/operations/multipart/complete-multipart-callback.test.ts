import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../http/testing/start-test-server.js';
import { buildTestPng } from '../post-object/testing/build-test-png.js';
import { callbackParam, findClosedPort } from '../post-object/testing/callback-fixture.js';
import {
  replyJson,
  startCallbackReceiver,
  type CallbackReceiver,
} from '../post-object/testing/callback-receiver.js';
import { readErrorCode, readErrorMessage } from '../post-object/testing/post-form-client.js';
import {
  buildCompleteXml,
  catchAliOssError,
  createMultipartClient,
  kib,
  sendSigned,
  testBucket,
  uploadTestParts,
  type AliOssMultipartClient,
  type AliOssPart,
} from './testing/multipart-test-kit.js';

const toAliOssParts = (parts: ReadonlyArray<{ partNumber: number; etag: string }>): AliOssPart[] =>
  parts.map((p) => ({ number: p.partNumber, etag: p.etag }));

describe('CompleteMultipartUpload with an upload callback', () => {
  let server: TestServer;
  let client: AliOssMultipartClient;
  let receiver: CallbackReceiver;

  before(async () => {
    server = await startTestServer({ config: { buckets: [testBucket], callbackTimeoutMs: 2_000 } });
    client = createMultipartClient(server, 'v1');
    receiver = await startCallbackReceiver(replyJson('{"accepted":true}'));
  });
  after(async () => {
    await receiver.close();
    await server.close();
  });

  it('answers 203 CallbackFailed with the object committed and the upload gone when the target is down', async () => {
    const key = 'cb/down.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 3]);
    const port = await findClosedPort();
    const failed = await catchAliOssError(
      client.completeMultipartUpload(key, up.uploadId, toAliOssParts(up.parts), {
        callback: { url: `http://127.0.0.1:${port}/cb`, body: 'object=${object}' },
      }),
    );
    assert.equal(failed.status, 203);
    assert.equal(failed.code, 'CallbackFailed');
    const stored = await server.store.head(testBucket, key);
    assert.equal(stored?.size, up.bytes.length);
    assert.match(String(stored?.etag), /-2"$/);
    // The upload was consumed by the commit: a retry is NoSuchUpload, not a second object.
    const retry = await catchAliOssError(
      client.completeMultipartUpload(key, up.uploadId, toAliOssParts(up.parts)),
    );
    assert.equal(retry.status, 404);
    assert.equal(retry.code, 'NoSuchUpload');
  });

  it('keeps the upload headers on the 203 document', async () => {
    const key = 'cb/down-raw.bin';
    const up = await uploadTestParts(client, key, [5]);
    const port = await findClosedPort();
    const res = await sendSigned(server, {
      method: 'POST',
      key,
      query: [['uploadId', up.uploadId]],
      headers: {
        'x-oss-callback': callbackParam({ callbackUrl: `http://127.0.0.1:${port}/`, callbackBody: 'a=b' }),
      },
      body: buildCompleteXml(up.parts),
    });
    assert.equal(res.status, 203);
    assert.equal(readErrorCode(res.body), 'CallbackFailed');
    assert.match(String(readErrorMessage(res.body)), /can not connect to your callbackUrl/);
    assert.match(String(res.headers.etag), /^"[0-9A-F]{32}-1"$/);
    assert.match(String(res.headers['x-oss-hash-crc64ecma']), /^\d+$/);
  });

  it('refuses a bad callback parameter with 400 before completing, and the upload stays completable', async () => {
    const key = 'cb/bad-param.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 1]);
    const parts = toAliOssParts(up.parts);
    const bad = await catchAliOssError(
      client.completeMultipartUpload(key, up.uploadId, parts, {
        headers: { 'x-oss-callback': 'not base64!' },
      }),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.code, 'InvalidArgument');
    const badVar = await catchAliOssError(
      client.completeMultipartUpload(key, up.uploadId, parts, {
        headers: {
          'x-oss-callback': callbackParam({ callbackUrl: receiver.url, callbackBody: 'a=${x:a}' }),
          'x-oss-callback-var': Buffer.from('{"a":"no x: prefix"}').toString('base64'),
        },
      }),
    );
    assert.equal(badVar.code, 'InvalidArgument');
    assert.equal(await server.store.head(testBucket, key), undefined);
    assert.ok(await server.store.multipart.getUpload(testBucket, key, up.uploadId));
    const before = receiver.received.length;
    const done = await client.completeMultipartUpload(key, up.uploadId, parts);
    assert.equal(done.res.status, 200);
    assert.equal(receiver.received.length, before, 'no callback was configured on the retry');
  });

  it('takes the callback from presigned-style query parameters but not from both places at once', async () => {
    const key = 'cb/query.bin';
    const up = await uploadTestParts(client, key, [8]);
    const callback = callbackParam({
      callbackUrl: `${receiver.url}/q`,
      callbackBody: '{"object":${object},"size":${size},"uid":${x:uid}}',
      callbackBodyType: 'application/json',
    });
    const callbackVar = Buffer.from('{"x:uid":"42"}').toString('base64');
    const mixed = await sendSigned(server, {
      method: 'POST',
      key,
      query: [
        ['uploadId', up.uploadId],
        ['callback', callback],
      ],
      headers: { 'x-oss-callback-var': callbackVar },
      body: buildCompleteXml(up.parts),
    });
    assert.equal(mixed.status, 400);
    assert.equal(readErrorCode(mixed.body), 'InvalidArgument');
    const res = await sendSigned(server, {
      method: 'POST',
      key,
      query: [
        ['uploadId', up.uploadId],
        ['callback', callback],
        ['callback-var', callbackVar],
      ],
      body: buildCompleteXml(up.parts),
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.body, '{"accepted":true}', 'the reply replaces the XML result');
    assert.match(String(res.headers.etag), /-1"$/);
    const received = receiver.received.at(-1)!;
    assert.equal(received.signatureVerified, true);
    assert.deepEqual(JSON.parse(received.body.toString()), { object: key, size: 8, uid: '42' });
  });

  it('renders imageInfo and mimeType from the assembled object', async () => {
    const key = 'cb/picture.png';
    const png = buildTestPng(33, 21);
    const { uploadId } = await client.initMultipartUpload(key);
    const part = await client.uploadPart(key, uploadId, 1, png, 0, png.length);
    const done = await client.completeMultipartUpload(key, uploadId, [{ number: 1, etag: part.etag }], {
      callback: {
        url: `${receiver.url}/img`,
        body: 'w=${imageInfo.width}&h=${imageInfo.height}&f=${imageInfo.format}&type=${mimeType}&etag=${etag}',
      },
    });
    assert.deepEqual(done.data, { accepted: true });
    const fields = new URLSearchParams(receiver.received.at(-1)!.body.toString());
    assert.equal(fields.get('w'), '33');
    assert.equal(fields.get('h'), '21');
    assert.equal(fields.get('f'), 'png');
    assert.equal(fields.get('type'), 'image/png');
    assert.equal(`"${fields.get('etag')}"`, done.etag);
  });
});
