// S3ObjectStore behaviour the shared contract cannot see: what lands in the backend (same keys, metadata
// other S3 tools read), the gateway's hidden `.upcall/` state, bodies large enough to be staged as backend
// multipart uploads, and that nothing is left behind when such a write is aborted or refused.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectStore } from './object-store.js';
import {
  assertOssError,
  bucket,
  checksumsOf,
  newMeta,
  putObject,
  readObject,
  type ContractStoreOptions,
} from './contract/contract-fixtures.js';
import { patterned } from './contract/multipart-fixtures.js';
import { S3BucketMap } from './s3-bucket-map.js';
import { S3ObjectStore } from './s3-object-store.js';
import {
  createTestS3Client,
  deleteBackendBuckets,
  newTestBucketPrefix,
  s3SkipReason,
} from './s3-test-backend.js';

const MiB = 1024 * 1024;
const client = createTestS3Client();
const skip = client === undefined ? s3SkipReason : false;
after(() => client?.destroy());

interface Fixture {
  readonly store: ObjectStore;
  readonly backend: S3Client;
  readonly backendBucket: string;
}

/** A store on fresh backend buckets with 5 MiB parts, `bucket` created; everything deleted after. */
async function withS3Store(test: (fixture: Fixture) => Promise<void>, options: ContractStoreOptions = {}) {
  const backend = client!;
  const prefix = newTestBucketPrefix();
  const store = new S3ObjectStore({
    client: backend,
    bucketMap: new S3BucketMap({ prefix }),
    ownsClient: false,
    tuning: { partBytes: 5 * MiB },
    ...options,
  });
  try {
    await store.createBucket(bucket);
    await test({ store, backend, backendBucket: `${prefix}${bucket}` });
  } finally {
    await store.close();
    await deleteBackendBuckets(backend, prefix);
  }
}

async function backendKeys(backend: S3Client, bucket: string): Promise<string[]> {
  const listed = await backend.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

async function backendUploads(backend: S3Client, bucket: string): Promise<number> {
  return (await backend.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0;
}

describe('S3ObjectStore in the backend', { skip }, () => {
  it('stores an object under the same key, with metadata plain S3 clients can read', async () => {
    await withS3Store(async ({ store, backend, backendBucket }) => {
      const meta = newMeta('photos/猫.jpg', {
        contentType: 'image/jpeg',
        userMeta: { owner: 'ann', note: 'größer' },
      });
      await putObject(store, meta, Buffer.from('jpeg bytes'));
      const head = await backend.send(new HeadObjectCommand({ Bucket: backendBucket, Key: 'photos/猫.jpg' }));
      assert.equal(head.ContentType, 'image/jpeg');
      assert.equal(head.Metadata?.owner, 'ann');
      assert.equal(head.Metadata?.note, `=?UTF-8?B?${Buffer.from('größer').toString('base64')}?=`);
      assert.equal(head.ETag, `"${checksumsOf(Buffer.from('jpeg bytes')).etag.slice(1, -1).toLowerCase()}"`);
      assert.deepEqual((await store.head(bucket, 'photos/猫.jpg'))?.userMeta, {
        owner: 'ann',
        note: 'größer',
      });
    });
  });

  it('reads an object written around the gateway, with the backend ETag and no CRC-64', async () => {
    await withS3Store(async ({ store, backend, backendBucket }) => {
      await backend.send(new PutObjectCommand({ Bucket: backendBucket, Key: 'direct', Body: 'hello' }));
      const meta = await store.head(bucket, 'direct');
      assert.equal(meta?.etag, '"5D41402ABC4B2A76B9719D911017C592"');
      assert.equal(meta?.crc64, '');
      assert.deepEqual(await readObject(store, 'direct'), Buffer.from('hello'));
    });
  });

  it('keeps its state under .upcall/, hidden from listings and refused as user keys', async () => {
    await withS3Store(async ({ store, backend, backendBucket }) => {
      await putObject(store, newMeta('-first'), Buffer.from('1'));
      await putObject(store, newMeta('z-last'), Buffer.from('2'));
      await store.multipart.initiate(newMeta('pending'));
      const raw = await backendKeys(backend, backendBucket);
      assert.ok(raw.includes('.upcall/bucket.json'));
      assert.ok(raw.some((key) => key.startsWith('.upcall/uploads/')));
      for (const prefix of [undefined, '.', '.upcall/', '.upcall']) {
        const listed = await store.list(bucket, { prefix, maxKeys: 10 });
        assert.ok(
          listed.objects.every((object) => !object.key.startsWith('.upcall/')),
          `prefix ${prefix}`,
        );
      }
      assert.deepEqual(
        (await store.list(bucket, { maxKeys: 1 })).objects.map((o) => o.key),
        ['-first'],
      );
      const page = await store.list(bucket, { startAfter: '-first', maxKeys: 1 });
      assert.deepEqual([page.objects.map((o) => o.key), page.isTruncated], [['z-last'], false]);
      await assertOssError(store.beginPut(newMeta('.upcall/bucket.json')), 'InvalidObjectName', 400);
      await assertOssError(store.multipart.initiate(newMeta('.upcall/x')), 'InvalidObjectName', 400);
      assert.equal(await store.head(bucket, '.upcall/bucket.json'), undefined);
      assert.equal(await store.read(bucket, '.upcall/bucket.json'), undefined);
      assert.equal(await store.delete(bucket, '.upcall/bucket.json'), false);
      assert.ok((await backendKeys(backend, backendBucket)).includes('.upcall/bucket.json'));
    });
  });

  it('streams a body larger than one part through a staging upload and leaves no staging debris', async () => {
    await withS3Store(async ({ store, backend, backendBucket }) => {
      const body = patterned(12 * MiB + 5, 3);
      const { meta } = await putObject(store, newMeta('big.bin', { userMeta: { k: 'v' } }), body);
      assert.equal(meta.size, body.length);
      assert.ok((await readObject(store, 'big.bin'))?.equals(body));
      assert.deepEqual(await store.head(bucket, 'big.bin'), meta);
      assert.deepEqual(await backendKeys(backend, backendBucket), ['.upcall/bucket.json', 'big.bin']);
      assert.equal(await backendUploads(backend, backendBucket), 0);
    });
  });

  it('aborts the backend staging upload when a large write is aborted mid-way', async () => {
    await withS3Store(async ({ store, backend, backendBucket }) => {
      const pending = await store.beginPut(newMeta('dropped'));
      for (let i = 0; i < 12; i += 1) {
        if (!pending.sink.write(patterned(MiB, i))) await once(pending.sink, 'drain');
      }
      assert.equal(await backendUploads(backend, backendBucket), 1, 'the body is being staged');
      await pending.abort();
      assert.equal(await backendUploads(backend, backendBucket), 0);
      assert.deepEqual(await backendKeys(backend, backendBucket), ['.upcall/bucket.json']);
    });
  });

  it('refuses a large forbidOverwrite write on an existing key and removes its staged bytes', async () => {
    await withS3Store(async ({ store, backend, backendBucket }) => {
      await putObject(store, newMeta('taken'), Buffer.from('first'));
      const body = patterned(11 * MiB, 1);
      await assertOssError(
        putObject(store, newMeta('taken'), body, { forbidOverwrite: true }),
        'FileAlreadyExists',
        409,
      );
      assert.deepEqual(await readObject(store, 'taken'), Buffer.from('first'));
      await putObject(store, newMeta('fresh'), body, { forbidOverwrite: true });
      assert.ok((await readObject(store, 'fresh'))?.equals(body));
      assert.deepEqual(await backendKeys(backend, backendBucket), ['.upcall/bucket.json', 'fresh', 'taken']);
      assert.equal(await backendUploads(backend, backendBucket), 0);
    });
  });
});
