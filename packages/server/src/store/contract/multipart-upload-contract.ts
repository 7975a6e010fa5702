// Contract: multipart uploads before Complete — initiate, staged parts (out of order, replaced), listing
// parts and uploads with their markers, abort and expiry, and NoSuchUpload wherever an upload is named
// that does not exist (oss-protocol §8; the S3/OSS multipart API the SDKs use).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import {
  assertOssError,
  bucket,
  checksumsOf,
  filesOf,
  newMeta,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';
import { initiate, patterned, uploadPart } from './multipart-fixtures.js';
import { runUploadListContract } from './upload-list-contract.js';

export function runMultipartUploadContract(makeStore: ContractStoreFactory): void {
  describe('multipart uploads', () => {
    it('initiates an upload that getUpload returns with a snapshot of its metadata', async () => {
      await withStore(makeStore, async (store) => {
        const userMeta: Record<string, string> = { owner: 'ann' };
        const meta = newMeta('video.mp4', { contentType: 'video/mp4', userMeta, acl: 'public-read' });
        const upload = await store.multipart.initiate(meta);
        userMeta.owner = 'changed';
        assert.match(upload.uploadId, /^[0-9A-F]{32}$/);
        assert.equal(upload.bucket, bucket);
        assert.equal(upload.key, 'video.mp4');
        assert.ok(Number.isSafeInteger(upload.initiatedMs));
        assert.deepEqual(upload.meta, { ...meta, userMeta: { owner: 'ann' } });
        assert.deepEqual(await store.multipart.getUpload(bucket, 'video.mp4', upload.uploadId), upload);
        assert.equal(await store.multipart.getUpload(bucket, 'other', upload.uploadId), undefined);
        assert.equal(
          await store.multipart.getUpload('no-such-bucket', 'video.mp4', upload.uploadId),
          undefined,
        );
        assert.equal(await store.multipart.getUpload(bucket, 'video.mp4', 'F'.repeat(32)), undefined);
      });
    });

    it('gives every upload of one key its own id', async () => {
      await withStore(makeStore, async (store) => {
        const ids = new Set<string>();
        for (let i = 0; i < 20; i += 1) ids.add((await initiate(store, 'same')).uploadId);
        assert.equal(ids.size, 20);
      });
    });

    it('refuses to initiate in a missing bucket or with an unstorable key', async () => {
      await withStore(makeStore, async (store) => {
        await assertOssError(store.multipart.initiate(newMeta('k', { bucket: 'nope' })), 'NoSuchBucket', 404);
        await assertOssError(store.multipart.initiate(newMeta('')), 'InvalidObjectName', 400);
        await assertOssError(store.multipart.initiate(newMeta('k'.repeat(1024))), 'KeyTooLong', 400);
      });
    });

    it('lists parts in part-number order whatever order they were uploaded in, invisible as objects', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'parts');
        for (const n of [3, 1, 10_000, 2]) await uploadPart(store, upload, n, patterned(1000 + n, n));
        const { parts, isTruncated } = await store.multipart.listParts(bucket, 'parts', upload.uploadId, {
          maxParts: 1000,
        });
        assert.equal(isTruncated, false);
        assert.deepEqual(
          parts.map((p) => p.partNumber),
          [1, 2, 3, 10_000],
        );
        for (const part of parts) {
          const { size, etag, crc64 } = checksumsOf(patterned(1000 + part.partNumber, part.partNumber));
          assert.deepEqual({ size: part.size, etag: part.etag, crc64: part.crc64 }, { size, etag, crc64 });
          assert.ok(Number.isSafeInteger(part.lastModifiedMs));
        }
        assert.equal(await store.head(bucket, 'parts'), undefined);
        assert.deepEqual((await store.list(bucket, { maxKeys: 10 })).objects, []);
      });
    });

    it('replaces a re-uploaded part and keeps no file of the old one', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const upload = await initiate(store, 'again');
        await uploadPart(store, upload, 1, patterned(4000, 1));
        const filesWithOne = await filesOf(dataDir);
        const second = await uploadPart(store, upload, 1, patterned(3000, 2));
        const { parts } = await store.multipart.listParts(bucket, 'again', upload.uploadId, { maxParts: 10 });
        assert.deepEqual(parts, [second]);
        assert.equal(second.etag, checksumsOf(patterned(3000, 2)).etag);
        assert.equal((await filesOf(dataDir)).length, filesWithOne.length, 'the old part file is left');
      });
    });

    it('pages listParts with partNumberMarker and maxParts', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'paged');
        for (const n of [1, 2, 3, 4, 5]) await uploadPart(store, upload, n, Buffer.from(`part ${n}`));
        const page = async (partNumberMarker: number | undefined, maxParts: number) => {
          const result = await store.multipart.listParts(bucket, 'paged', upload.uploadId, {
            partNumberMarker,
            maxParts,
          });
          return [result.parts.map((p) => p.partNumber), result.isTruncated];
        };
        assert.deepEqual(await page(undefined, 2), [[1, 2], true]);
        assert.deepEqual(await page(2, 2), [[3, 4], true]);
        assert.deepEqual(await page(4, 2), [[5], false]);
        assert.deepEqual(await page(5, 2), [[], false]);
        assert.deepEqual(await page(0, 5), [[1, 2, 3, 4, 5], false]);
        assert.deepEqual(await page(undefined, 0), [[], true]);
      });
    });

    it('aborts an upload: its parts and files vanish, and a second abort answers false', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const upload = await initiate(store, 'dropped');
        for (const n of [1, 2]) await uploadPart(store, upload, n, patterned(70_000, n));
        assert.equal(await store.multipart.abort(bucket, 'dropped', upload.uploadId), true);
        assert.equal(await store.multipart.getUpload(bucket, 'dropped', upload.uploadId), undefined);
        await assertOssError(
          store.multipart.listParts(bucket, 'dropped', upload.uploadId, { maxParts: 10 }),
          'NoSuchUpload',
          404,
        );
        assert.deepEqual(await filesOf(dataDir), before);
        assert.equal(await store.multipart.abort(bucket, 'dropped', upload.uploadId), false);
        assert.equal(await store.head(bucket, 'dropped'), undefined);
      });
    });

    it('leaves no trace of an aborted staged part', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const upload = await initiate(store, 'staged');
        const before = await filesOf(dataDir);
        const pending = await store.multipart.beginPart(bucket, 'staged', upload.uploadId, 1);
        pending.sink.write(patterned(10_000, 1));
        await pending.abort();
        await pending.abort();
        assert.deepEqual(await filesOf(dataDir), before);
        const { parts } = await store.multipart.listParts(bucket, 'staged', upload.uploadId, {
          maxParts: 10,
        });
        assert.deepEqual(parts, []);
      });
    });

    it('refuses a part committed after its upload was aborted, removing its bytes', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const upload = await initiate(store, 'late');
        const pending = await store.multipart.beginPart(bucket, 'late', upload.uploadId, 1);
        pending.sink.end(Buffer.from('late part'));
        await once(pending.sink, 'finish');
        await store.multipart.abort(bucket, 'late', upload.uploadId);
        await assertOssError(pending.commit(checksumsOf(Buffer.from('late part'))), 'NoSuchUpload', 404);
        await pending.abort();
        assert.deepEqual(await filesOf(dataDir), before);
      });
    });

    it('refuses a part whose stored size differs from the size given', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'short');
        const pending = await store.multipart.beginPart(bucket, 'short', upload.uploadId, 1);
        pending.sink.end(Buffer.from('12345'));
        await once(pending.sink, 'finish');
        await assertOssError(
          pending.commit({ ...checksumsOf(Buffer.from('12345')), size: 6 }),
          'InternalError',
          500,
        );
        const { parts } = await store.multipart.listParts(bucket, 'short', upload.uploadId, { maxParts: 10 });
        assert.deepEqual(parts, []);
      });
    });

    it('answers NoSuchUpload for an unknown upload id, or a real id named with another key', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'real');
        for (const [key, uploadId] of [
          ['real', '0'.repeat(32)],
          ['other', upload.uploadId],
          ['real', ''],
        ] as const) {
          await assertOssError(store.multipart.beginPart(bucket, key, uploadId, 1), 'NoSuchUpload', 404);
          await assertOssError(
            store.multipart.listParts(bucket, key, uploadId, { maxParts: 1 }),
            'NoSuchUpload',
            404,
          );
          await assertOssError(
            store.multipart.complete({ bucket, key, uploadId }, [], { etag: '"X-0"', crc64: '0' }),
            'NoSuchUpload',
            404,
          );
          assert.equal(await store.multipart.abort(bucket, key, uploadId), false);
        }
        await assertOssError(
          store.multipart.beginPart('no-such-bucket', 'real', upload.uploadId, 1),
          'NoSuchUpload',
          404,
        );
        assert.ok(
          await store.multipart.getUpload(bucket, 'real', upload.uploadId),
          'the real upload is untouched',
        );
      });
    });

    it('refuses part numbers outside 1…10000 as a programming error', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'range');
        for (const n of [0, 10_001, 1.5, -1]) {
          await assert.rejects(store.multipart.beginPart(bucket, 'range', upload.uploadId, n), RangeError);
        }
      });
    });

    it('expires uploads initiated before the cut-off, with their parts', async () => {
      let nowMs = 1_000_000;
      await withStore(
        makeStore,
        async (store, dataDir) => {
          const before = await filesOf(dataDir);
          const old = await initiate(store, 'old');
          await uploadPart(store, old, 1, Buffer.from('old part'));
          nowMs = 2_000_000;
          const young = await initiate(store, 'young');
          assert.equal(old.initiatedMs, 1_000_000);
          assert.equal(await store.multipart.expireUploads(1_000_000), 0, 'the cut-off is exclusive');
          assert.equal(await store.multipart.expireUploads(1_500_000), 1);
          assert.equal(await store.multipart.getUpload(bucket, 'old', old.uploadId), undefined);
          assert.deepEqual(await store.multipart.getUpload(bucket, 'young', young.uploadId), young);
          assert.equal(await store.multipart.expireUploads(1_500_000), 0);
          assert.equal(await store.multipart.expireUploads(2_000_001), 1);
          assert.deepEqual(await filesOf(dataDir), before);
        },
        { now: () => nowMs },
      );
    });
  });
  runUploadListContract(makeStore);
}
