import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64Ecma } from '@upcall/protocol';
import { startTestServer, type TestServer } from '../../http/testing/start-test-server.js';
import { FsObjectStore } from '../../store/fs-object-store.js';
import { findClosedPort } from '../post-object/testing/callback-fixture.js';
import { startCallbackReceiver, type CallbackReceiver } from '../post-object/testing/callback-receiver.js';
import {
  buildTestBytes,
  catchAliOssError,
  createMultipartClient,
  kib,
  mib,
  testBucket,
  uploadTestParts,
  type AliOssMultipartClient,
} from './testing/multipart-test-kit.js';

describe('multipart upload on the filesystem store', () => {
  let dataDir: string;
  let server: TestServer;
  let client: AliOssMultipartClient;
  let receiver: CallbackReceiver;

  const partFiles = (): Promise<string[]> => readdir(join(dataDir, 'parts'));
  const tempFiles = (): Promise<string[]> => readdir(join(dataDir, 'tmp'));

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-multipart-'));
    const store = await FsObjectStore.open({ dataDir });
    server = await startTestServer({ store, config: { buckets: [testBucket] } });
    client = createMultipartClient(server, 'v1');
    receiver = await startCallbackReceiver();
  });
  after(async () => {
    await receiver.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uploads 12 MiB in parallel parts with a callback and leaves no part or temp file behind', async () => {
    const key = 'fs/big.bin';
    const bytes = buildTestBytes(12 * mib + 1, 21);
    const progress: number[] = [];
    const result = await client.multipartUpload(key, bytes, {
      parallel: 3,
      partSize: mib,
      progress: (fraction) => void progress.push(fraction),
      callback: { url: `${receiver.url}/fs`, body: 'size=${size}&etag=${etag}' },
    });
    assert.deepEqual(result.data, { Status: 'OK' });
    assert.match(result.etag, /^"[0-9A-F]{32}-13"$/);
    assert.equal(progress.at(-1), 1);
    const fields = new URLSearchParams(receiver.received.at(-1)!.body.toString());
    assert.equal(fields.get('size'), String(bytes.length));
    assert.equal(receiver.received.at(-1)!.signatureVerified, true);
    const got = await client.get(key);
    assert.ok(got.content.equals(bytes));
    assert.equal(got.res.headers['x-oss-hash-crc64ecma'], crc64Ecma(bytes));
    assert.deepEqual(await partFiles(), []);
    assert.deepEqual(await tempFiles(), []);
  });

  it('commits the object and removes the parts when the callback fails (threats §C5.49)', async () => {
    const key = 'fs/callback-down.bin';
    const up = await uploadTestParts(client, key, [100 * kib, 100 * kib, 10]);
    assert.equal((await partFiles()).length, 3);
    const port = await findClosedPort();
    const failed = await catchAliOssError(
      client.completeMultipartUpload(
        key,
        up.uploadId,
        up.parts.map((p) => ({ number: p.partNumber, etag: p.etag })),
        { callback: { url: `http://127.0.0.1:${port}/`, body: 'a=b' } },
      ),
    );
    assert.equal(failed.status, 203);
    assert.equal(failed.code, 'CallbackFailed');
    assert.ok((await client.get(key)).content.equals(up.bytes));
    assert.deepEqual(await partFiles(), []);
  });

  it('removes every part file on abort', async () => {
    const up = await uploadTestParts(client, 'fs/aborted.bin', [100 * kib, 7]);
    assert.equal((await partFiles()).length, 2);
    await client.abortMultipartUpload('fs/aborted.bin', up.uploadId);
    assert.deepEqual(await partFiles(), []);
  });
});
