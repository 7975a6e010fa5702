// Contract: ListMultipartUploads — (key, uploadId) byte order, prefix, key-marker / upload-id-marker as
// S3 and OSS define them, maxUploads with isTruncated, and NoSuchBucket.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectStore } from '../object-store.js';
import type { MultipartUploadInfo } from '../multipart-store.js';
import { compareUtf8 } from '../compare-utf8.js';
import { assertOssError, bucket, withStore, type ContractStoreFactory } from './contract-fixtures.js';
import { initiate } from './multipart-fixtures.js';

type ListOptions = Parameters<ObjectStore['multipart']['listUploads']>[1];

async function listIds(store: ObjectStore, options: ListOptions): Promise<[string[], boolean]> {
  const { uploads, isTruncated } = await store.multipart.listUploads(bucket, options);
  return [uploads.map((u) => u.uploadId), isTruncated];
}

/** Uploads of keys 'a/1' (twice), 'a/2', 'b/1', '\u{1F600}', '\uFF01', in the order a list must give. */
async function seed(store: ObjectStore): Promise<MultipartUploadInfo[]> {
  const uploads: MultipartUploadInfo[] = [];
  for (const key of ['b/1', 'a/1', '\u{1F600}', 'a/2', 'a/1', '\uFF01'])
    uploads.push(await initiate(store, key));
  return uploads.sort((x, y) => compareUtf8(x.key, y.key) || compareUtf8(x.uploadId, y.uploadId));
}

export function runUploadListContract(makeStore: ContractStoreFactory): void {
  describe('listing multipart uploads', () => {
    it('lists uploads by key in UTF-8 byte order, then by upload id, with their metadata', async () => {
      await withStore(makeStore, async (store) => {
        const ordered = await seed(store);
        assert.deepEqual(
          ordered.map((u) => u.key),
          ['a/1', 'a/1', 'a/2', 'b/1', '\uFF01', '\u{1F600}'],
        );
        const { uploads, isTruncated } = await store.multipart.listUploads(bucket, { maxUploads: 100 });
        assert.deepEqual(uploads, ordered);
        assert.equal(isTruncated, false);
      });
    });

    it('filters by prefix and cuts pages at maxUploads', async () => {
      await withStore(makeStore, async (store) => {
        const ordered = await seed(store);
        const ids = ordered.map((u) => u.uploadId);
        assert.deepEqual(await listIds(store, { prefix: 'a/', maxUploads: 100 }), [ids.slice(0, 3), false]);
        assert.deepEqual(await listIds(store, { prefix: 'a/', maxUploads: 3 }), [ids.slice(0, 3), false]);
        assert.deepEqual(await listIds(store, { prefix: 'a/', maxUploads: 2 }), [ids.slice(0, 2), true]);
        assert.deepEqual(await listIds(store, { prefix: 'c', maxUploads: 10 }), [[], false]);
        assert.deepEqual(await listIds(store, { maxUploads: 0 }), [[], true]);
      });
    });

    it('resumes after keyMarker alone (all uploads of that key skipped) or with uploadIdMarker', async () => {
      await withStore(makeStore, async (store) => {
        const ordered = await seed(store);
        const ids = ordered.map((u) => u.uploadId);
        const firstOfA1 = ids[0]!;
        assert.deepEqual(await listIds(store, { keyMarker: 'a/1', maxUploads: 100 }), [ids.slice(2), false]);
        assert.deepEqual(
          await listIds(store, { keyMarker: 'a/1', uploadIdMarker: firstOfA1, maxUploads: 100 }),
          [ids.slice(1), false],
        );
        assert.deepEqual(await listIds(store, { keyMarker: 'a/1', uploadIdMarker: ids[1]!, maxUploads: 2 }), [
          ids.slice(2, 4),
          true,
        ]);
        assert.deepEqual(await listIds(store, { keyMarker: 'a/0', maxUploads: 100 }), [ids, false]);
        assert.deepEqual(
          await listIds(store, { uploadIdMarker: 'F'.repeat(32), maxUploads: 100 }),
          [ids, false],
          'uploadIdMarker without keyMarker is ignored',
        );
        assert.deepEqual(await listIds(store, { keyMarker: '\uFF01', prefix: 'a', maxUploads: 100 }), [
          [],
          false,
        ]);
      });
    });

    it('lists no completed or aborted uploads', async () => {
      await withStore(makeStore, async (store) => {
        const [first, second] = await seed(store);
        await store.multipart.abort(bucket, first!.key, first!.uploadId);
        await store.multipart.complete(second!, [], { etag: '"E-0"', crc64: '0' });
        const [ids] = await listIds(store, { prefix: 'a/1', maxUploads: 100 });
        assert.deepEqual(ids, []);
      });
    });

    it('throws NoSuchBucket for a missing bucket', async () => {
      await withStore(makeStore, async (store) => {
        await assertOssError(
          store.multipart.listUploads('no-such-bucket', { maxUploads: 10 }),
          'NoSuchBucket',
          404,
        );
      });
    });
  });
}
