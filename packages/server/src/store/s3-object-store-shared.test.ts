// Several S3ObjectStore instances over one backend, as several gateway processes behind a load balancer:
// an upload begun on one continues on another, one Complete wins across instances, bucket settings made
// on one reach the others, and expiry on any instance removes what a dead instance left behind.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bucket, newMeta, readObject } from './contract/contract-fixtures.js';
import { chosen, complete, patterned, uploadPart } from './contract/multipart-fixtures.js';
import { S3BucketMap } from './s3-bucket-map.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';
import { encodePartKey } from './s3-part-keys.js';
import {
  createTestS3Client,
  deleteBackendBuckets,
  newTestBucketPrefix,
  s3SkipReason,
} from './s3-test-backend.js';
import { newUploadId } from './upload-id.js';

const MiB = 1024 * 1024;
const client = createTestS3Client();
const skip = client === undefined ? s3SkipReason : false;
after(() => client?.destroy());

type Instance = (options?: Partial<S3ObjectStoreOptions>) => S3ObjectStore;

/** A factory of instances sharing fresh backend buckets (each with its own SDK client), cleaned up after. */
async function withInstances(test: (instance: Instance, backendBucket: string) => Promise<void>) {
  const prefix = newTestBucketPrefix();
  const stores: S3ObjectStore[] = [];
  const instance: Instance = (options = {}) => {
    const store = new S3ObjectStore({
      client: createTestS3Client()!,
      bucketMap: new S3BucketMap({ prefix }),
      tuning: { partBytes: 5 * MiB },
      ...options,
    });
    stores.push(store);
    return store;
  };
  try {
    await instance().createBucket(bucket);
    await test(instance, `${prefix}${bucket}`);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await deleteBackendBuckets(client!, prefix);
  }
}

async function backendKeys(backend: S3Client, name: string): Promise<string[]> {
  return ((await backend.send(new ListObjectsV2Command({ Bucket: name }))).Contents ?? []).map(
    (o) => o.Key ?? '',
  );
}

describe('S3ObjectStore instances sharing one backend', { skip }, () => {
  it('continues an upload on another instance, and exactly one of their concurrent Completes wins', async () => {
    await withInstances(async (instance) => {
      const [a, b] = [instance(), instance()];
      const upload = await a.multipart.initiate(newMeta('shared.bin', { userMeta: { via: 'a' } }));
      assert.deepEqual(await b.multipart.getUpload(bucket, 'shared.bin', upload.uploadId), upload);
      const one = await uploadPart(a, upload, 1, patterned(6 * MiB, 1));
      const two = await uploadPart(b, upload, 2, patterned(1 * MiB, 2));
      const listed = await a.multipart.listParts(bucket, 'shared.bin', upload.uploadId, { maxParts: 10 });
      assert.deepEqual(listed.parts, [one, two]);
      const results = await Promise.allSettled(
        [a, b].map((store) => complete(store, upload, chosen(one, two))),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const loser = results.find((r) => r.status === 'rejected');
      assert.equal((loser?.reason as { code?: string }).code, 'NoSuchUpload');
      const whole = Buffer.concat([patterned(6 * MiB, 1), patterned(1 * MiB, 2)]);
      assert.ok((await readObject(b, 'shared.bin'))?.equals(whole));
      assert.deepEqual((await a.head(bucket, 'shared.bin'))?.userMeta, { via: 'a' });
    });
  });

  it('shows bucket ACL and CORS changed on one instance to another within its cache time', async () => {
    await withInstances(async (instance) => {
      const [a, uncached, cached] = [
        instance(),
        instance({ bucketCacheMs: 0 }),
        // Long enough that a loaded CI machine still reads within it; the expiry check then waits it out.
        instance({ bucketCacheMs: 3000 }),
      ];
      assert.equal((await cached.getBucket(bucket))?.acl, 'private');
      await a.setBucketAcl(bucket, 'public-read');
      const cors = {
        rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] }],
        responseVary: false,
      };
      await a.setBucketCors(bucket, cors);
      assert.equal((await uncached.getBucket(bucket))?.acl, 'public-read');
      assert.deepEqual(await uncached.getBucketCors(bucket), cors);
      assert.equal((await cached.getBucket(bucket))?.acl, 'private', 'still the cached record');
      await sleep(3100);
      assert.equal((await cached.getBucket(bucket))?.acl, 'public-read');
    });
  });

  it('expires, from any instance, the uploads and staging debris a dead instance left behind', async () => {
    await withInstances(async (instance, backendBucket) => {
      const backend = client!;
      const tenDaysMs = 10 * 24 * 3600 * 1000;
      const living = instance({ now: () => Date.now() + tenDaysMs }); // its uploads are young at the cut-off
      const live = await living.multipart.initiate(newMeta('live'));
      await uploadPart(living, live, 1, Buffer.from('kept'));
      const dead = instance();
      const abandoned = await dead.multipart.initiate(newMeta('abandoned'));
      await uploadPart(dead, abandoned, 1, Buffer.from('gone'));
      const staging = await dead.beginPut(newMeta('half-written'));
      staging.sink.write(patterned(6 * MiB, 9)); // past one part: a backend staging upload exists
      await sleep(200);
      const oldId = newUploadId(1_000_000);
      const orphanPart = encodePartKey(
        oldId,
        { partNumber: 1, size: 1, etag: '"X"', crc64: '0', lastModifiedMs: 0 },
        `${'0'.repeat(16)}abcd`,
      );
      for (const Key of [orphanPart, `.upcall/claims/${oldId}`, `.upcall/staging/${oldId}`]) {
        await backend.send(new PutObjectCommand({ Bucket: backendBucket, Key, Body: 'x' }));
      }
      const sweeper = instance();
      assert.equal(await sweeper.multipart.expireUploads(Date.now() + 60_000), 1);
      assert.equal(await sweeper.multipart.getUpload(bucket, 'abandoned', abandoned.uploadId), undefined);
      assert.deepEqual(await sweeper.multipart.getUpload(bucket, 'live', live.uploadId), live);
      const left = await backendKeys(backend, backendBucket);
      assert.deepEqual(
        left.filter((key) => !key.startsWith(`.upcall/parts/${live.uploadId}/`)),
        ['.upcall/bucket.json', `.upcall/uploads/${live.uploadId}`],
      );
      assert.equal(left.length, 3, 'the live upload keeps its part');
      const uploads = await backend.send(new ListMultipartUploadsCommand({ Bucket: backendBucket }));
      assert.equal(uploads.Uploads?.length ?? 0, 0, 'the staging upload was aborted');
      await staging.abort();
    });
  });
});
