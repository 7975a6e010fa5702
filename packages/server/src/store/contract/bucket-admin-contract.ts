// Contract: bucket administration — DeleteBucket (only when empty of objects and multipart uploads,
// BucketNotEmpty 409 otherwise), PutBucketAcl, and the CORS configuration of PutBucketCors (§12) stored
// verbatim.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { BucketCors } from '../object-store.js';
import {
  assertOssError,
  checksumsOf,
  filesOf,
  newMeta,
  putObject,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';

const other = 'other-bucket';

function sampleCors(): BucketCors {
  return {
    rules: [
      {
        allowedOrigins: ['https://*.example.com', 'http://localhost:5173'],
        allowedMethods: ['PUT', 'POST'],
        allowedHeaders: ['*'],
        exposeHeaders: ['ETag', 'x-oss-request-id'],
        maxAgeSeconds: 600,
      },
      { allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
    ],
    responseVary: true,
  };
}

export function runBucketAdminContract(makeStore: ContractStoreFactory): void {
  describe('bucket administration', () => {
    it('deletes an empty bucket, answers false the second time, and can create it afresh', async () => {
      await withStore(makeStore, async (store) => {
        await store.createBucket(other, 'public-read');
        await store.setBucketCors(other, sampleCors());
        assert.equal(await store.deleteBucket(other), true);
        assert.equal(await store.getBucket(other), undefined);
        assert.ok(!(await store.listBuckets()).some((b) => b.name === other));
        assert.equal(await store.deleteBucket(other), false);
        assert.equal((await store.createBucket(other)).acl, 'private');
        assert.equal(await store.getBucketCors(other), undefined, 'a new bucket does not inherit CORS');
      });
    });

    it('refuses to delete a bucket holding an object with BucketNotEmpty', async () => {
      await withStore(makeStore, async (store) => {
        await store.createBucket(other);
        await putObject(store, newMeta('k', { bucket: other }), Buffer.from('x'));
        await assertOssError(store.deleteBucket(other), 'BucketNotEmpty', 409);
        assert.ok(await store.head(other, 'k'));
        await store.delete(other, 'k');
        assert.equal(await store.deleteBucket(other), true);
      });
    });

    it('refuses to delete a bucket holding a multipart upload with BucketNotEmpty', async () => {
      await withStore(makeStore, async (store) => {
        await store.createBucket(other);
        const upload = await store.multipart.initiate(newMeta('k', { bucket: other }));
        await assertOssError(store.deleteBucket(other), 'BucketNotEmpty', 409);
        assert.ok(await store.multipart.getUpload(other, 'k', upload.uploadId));
        await store.multipart.abort(other, 'k', upload.uploadId);
        assert.equal(await store.deleteBucket(other), true);
      });
    });

    it('fails a write committed after its bucket was deleted with NoSuchBucket, leaving nothing', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        await store.createBucket(other);
        const before = await filesOf(dataDir);
        const pending = await store.beginPut(newMeta('k', { bucket: other }));
        pending.sink.end(Buffer.from('orphan'));
        await once(pending.sink, 'finish');
        assert.equal(await store.deleteBucket(other), true);
        await assertOssError(pending.commit(checksumsOf(Buffer.from('orphan'))), 'NoSuchBucket', 404);
        await pending.abort();
        assert.deepEqual(await filesOf(dataDir), before);
        await store.createBucket(other);
        assert.equal(await store.head(other, 'k'), undefined);
      });
    });

    it('changes a bucket ACL and keeps its creation time', async () => {
      await withStore(makeStore, async (store) => {
        const created = await store.createBucket(other);
        await store.setBucketAcl(other, 'public-read-write');
        assert.deepEqual(await store.getBucket(other), { ...created, acl: 'public-read-write' });
        await assertOssError(store.setBucketAcl('no-such-bucket', 'private'), 'NoSuchBucket', 404);
      });
    });

    it('stores, returns and deletes a CORS configuration verbatim', async () => {
      await withStore(makeStore, async (store) => {
        await store.createBucket(other);
        assert.equal(await store.getBucketCors(other), undefined, 'CORS is off by default (§12)');
        const cors = sampleCors();
        await store.setBucketCors(other, cors);
        (cors.rules[0]!.allowedMethods as string[]).push('DELETE');
        assert.deepEqual(await store.getBucketCors(other), sampleCors());
        const returned = await store.getBucketCors(other);
        (returned!.rules as unknown[]).length = 0;
        assert.deepEqual(await store.getBucketCors(other), sampleCors(), 'the store keeps its own copy');
        const replacement: BucketCors = { rules: [sampleCors().rules[1]!], responseVary: false };
        await store.setBucketCors(other, replacement);
        assert.deepEqual(await store.getBucketCors(other), replacement);
        await store.setBucketCors(other, undefined);
        assert.equal(await store.getBucketCors(other), undefined);
      });
    });

    it('answers NoSuchBucket for the CORS configuration of a missing bucket', async () => {
      await withStore(makeStore, async (store) => {
        await assertOssError(store.getBucketCors('no-such-bucket'), 'NoSuchBucket', 404);
        await assertOssError(store.setBucketCors('no-such-bucket', sampleCors()), 'NoSuchBucket', 404);
      });
    });
  });
}
