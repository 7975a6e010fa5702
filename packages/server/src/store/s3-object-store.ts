// The gateway store (architecture §3, docs/scale-out.md): objects live in an S3-compatible distributed
// store (Ceph RGW, MinIO, AWS S3) under the same bucket-relative keys, with their OSS metadata in the
// backend object's own metadata (s3-meta-codec.ts); buckets, multipart uploads and their parts are backend
// state too. The server process keeps nothing, so several instances can serve one backend behind a load
// balancer. Passes the same contract suites as FsObjectStore and MemoryObjectStore.
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type {
  BucketCors,
  BucketInfo,
  CommitResult,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  PendingObject,
} from './object-store.js';
import { assertMaxKeys } from './list-page.js';
import { buildObjectMeta, snapshotNewMeta } from './object-meta.js';
import { createS3Bucket, deleteS3Bucket } from './s3-bucket-admin.js';
import { S3BucketMap } from './s3-bucket-map.js';
import { S3BucketRecords, toBucketInfo, type BucketRecord } from './s3-bucket-records.js';
import { asOssError, isNotFoundError } from './s3-errors.js';
import { assertUserKey, isHiddenKey, stagingKey } from './s3-hidden-keys.js';
import { decodeObjectMeta, encodeObjectHeaders } from './s3-meta-codec.js';
import { S3MultipartStore } from './s3-multipart-store.js';
import { headObject, listObjectPage } from './s3-object-list.js';
import { PartVersionClock } from './s3-part-keys.js';
import { S3PendingWrite, type StagedBody } from './s3-pending-write.js';
import { publishBuffer, publishStaged } from './s3-publish.js';
import { defaultS3StoreTuning, type S3StoreContext, type S3StoreTuning } from './s3-store-context.js';
import type { Checksums } from './object-meta.js';
import { noSuchBucket } from './store-errors.js';
import { newUploadId } from './upload-id.js';

export interface S3ObjectStoreOptions {
  /** A client made by createS3Client (s3-client.ts): path-style and checksum settings matter. */
  readonly client: S3Client;
  readonly bucketMap?: S3BucketMap;
  /** Clock for lastModifiedMs / createdMs / initiatedMs (ms since epoch). */
  readonly now?: () => number;
  readonly tuning?: Partial<S3StoreTuning>;
  /** How long an instance trusts a bucket record it read (ACL, CORS); 0 = always read. Default 1000. */
  readonly bucketCacheMs?: number;
  readonly warn?: (message: string, detail: Record<string, unknown>) => void;
  /** close() destroys the client too. Default true. */
  readonly ownsClient?: boolean;
}

/** The object size from `Content-Range: bytes a-b/total` of a ranged GET. */
function totalSize(contentRange: string | undefined, contentLength: number | undefined): number {
  const total = /\/(\d+)$/.exec(contentRange ?? '')?.[1];
  return total === undefined ? (contentLength ?? 0) : Number(total);
}

export class S3ObjectStore implements ObjectStore {
  readonly multipart: S3MultipartStore;
  readonly #ctx: S3StoreContext;
  readonly #records: S3BucketRecords;
  readonly #ownsClient: boolean;
  readonly #writes = new Set<S3PendingWrite<unknown>>();
  #closed = false;

  constructor(options: S3ObjectStoreOptions) {
    this.#ctx = {
      client: options.client,
      buckets: options.bucketMap ?? new S3BucketMap(),
      now: options.now ?? Date.now,
      tuning: { ...defaultS3StoreTuning, ...options.tuning },
      partVersions: new PartVersionClock(),
      warn: options.warn ?? (() => undefined),
    };
    if (this.#ctx.tuning.partBytes < this.#ctx.tuning.minPartBytes) {
      throw new RangeError('tuning.partBytes must be at least tuning.minPartBytes');
    }
    this.#ownsClient = options.ownsClient ?? true;
    this.#records = new S3BucketRecords(this.#ctx, options.bucketCacheMs ?? 1000);
    this.multipart = new S3MultipartStore({
      ctx: this.#ctx,
      records: this.#records,
      newUploadId: () => newUploadId(this.#ctx.now()),
      track: (write) => this.#track(write),
      assertOpen: () => this.#assertOpen(),
    });
  }

  createBucket(name: string, acl: BucketInfo['acl'] = 'private'): Promise<BucketInfo> {
    return createS3Bucket(this.#ctx, this.#records, name, acl);
  }

  async getBucket(name: string): Promise<BucketInfo | undefined> {
    const record = await asOssError(name, () => this.#records.get(name));
    return record === undefined ? undefined : toBucketInfo(record);
  }

  async listBuckets(): Promise<BucketInfo[]> {
    return (await asOssError('', () => this.#records.listAll())).map(toBucketInfo);
  }

  deleteBucket(name: string): Promise<boolean> {
    return deleteS3Bucket(this.#ctx, this.#records, name);
  }

  setBucketAcl(name: string, acl: BucketInfo['acl']): Promise<void> {
    return this.#updateRecord(name, (record) => ({ ...record, acl }));
  }

  async getBucketCors(name: string): Promise<BucketCors | undefined> {
    const { record } = await asOssError(name, () => this.#records.require(name));
    // A copy: a caller mutating what it got back cannot change the cached record.
    return record.cors === undefined ? undefined : (JSON.parse(JSON.stringify(record.cors)) as BucketCors);
  }

  setBucketCors(name: string, cors: BucketCors | undefined): Promise<void> {
    const copy = cors === undefined ? undefined : (JSON.parse(JSON.stringify(cors)) as BucketCors);
    return this.#updateRecord(name, ({ cors: _old, ...record }) =>
      copy === undefined ? record : { ...record, cors: copy },
    );
  }

  async beginPut(meta: NewObjectMeta): Promise<PendingObject> {
    this.#assertOpen();
    assertUserKey(meta.key);
    const { backend } = await asOssError(meta.bucket, () => this.#records.require(meta.bucket));
    const snapshot = snapshotNewMeta(meta);
    const target = { ossBucket: snapshot.bucket, backendBucket: backend, key: snapshot.key };
    const write = new S3PendingWrite<CommitResult>(
      this.#ctx,
      { ...target, stagingKey: () => stagingKey(newUploadId(this.#ctx.now())) },
      async (body: StagedBody, checksums: Checksums, forbidOverwrite: boolean) => {
        const stored = buildObjectMeta(snapshot, checksums, this.#ctx.now());
        const request = { target, headers: encodeObjectHeaders(stored), forbidOverwrite };
        if (body.kind === 'buffer') await publishBuffer(this.#ctx, request, body.body);
        else await publishStaged(this.#ctx, request, body.key, body.size);
        return { meta: stored };
      },
    );
    return this.#track(write);
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    const backend = this.#ctx.buckets.tryBackendFor(bucket);
    if (backend === undefined || isHiddenKey(key)) return undefined;
    return asOssError(bucket, () => headObject(this.#ctx, bucket, backend, key));
  }

  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
    const backend = this.#ctx.buckets.tryBackendFor(bucket);
    if (backend === undefined || isHiddenKey(key)) return undefined;
    const Range = range === undefined ? undefined : `bytes=${range.start}-${range.end}`;
    return asOssError(bucket, async () => {
      try {
        const got = await this.#ctx.client.send(new GetObjectCommand({ Bucket: backend, Key: key, Range }));
        const meta = decodeObjectMeta(bucket, key, {
          size: totalSize(got.ContentRange, got.ContentLength),
          metadata: got.Metadata,
          contentType: got.ContentType,
          etag: got.ETag,
          lastModified: got.LastModified,
        });
        return { meta, body: got.Body as Readable };
      } catch (error) {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }
    });
  }

  /** S3 DeleteObject answers 204 whether or not the key existed, so a HEAD tells which it was. */
  async delete(bucket: string, key: string): Promise<boolean> {
    if ((await this.head(bucket, key)) === undefined) return false;
    const backend = this.#ctx.buckets.backendFor(bucket);
    await asOssError(bucket, () =>
      this.#ctx.client.send(new DeleteObjectCommand({ Bucket: backend, Key: key })),
    );
    return true;
  }

  async list(
    bucket: string,
    options: { prefix?: string; startAfter?: string; maxKeys: number },
  ): Promise<{ objects: ObjectMeta[]; isTruncated: boolean }> {
    assertMaxKeys(options.maxKeys);
    return asOssError(bucket, async () => {
      const { backend } = await this.#records.require(bucket);
      return listObjectPage(
        this.#ctx,
        { ossBucket: bucket, backendBucket: backend },
        { prefix: options.prefix ?? '', startAfter: options.startAfter ?? '', maxKeys: options.maxKeys },
      );
    });
  }

  /** Aborts staged writes (their backend staging uploads included), then releases the client. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#writes].map((write) => write.abort()));
    if (this.#ownsClient) this.#ctx.client.destroy();
  }

  #track<T>(write: S3PendingWrite<T>): S3PendingWrite<T> {
    const tracked = write as S3PendingWrite<unknown>;
    this.#writes.add(tracked);
    write.onSettled(() => this.#writes.delete(tracked));
    return write;
  }

  async #updateRecord(name: string, change: (record: BucketRecord) => BucketRecord): Promise<void> {
    const record = await asOssError(name, () => this.#records.get(name, true));
    if (record === undefined) throw noSuchBucket(name);
    await this.#records.update(change(record));
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('S3ObjectStore is closed');
  }
}
