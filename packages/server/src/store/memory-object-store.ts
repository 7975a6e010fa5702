// An ObjectStore in process memory, for tests of the layers above the store. It keeps the same
// promises as FsObjectStore (it passes the same contract suites): staged writes invisible until commit,
// atomic replace, forbid-overwrite, byte-order listing, bodies that survive a later replace, multipart.
import { Readable } from 'node:stream';
import { OssError } from '@upcall/protocol';
import type {
  BucketCors,
  BucketInfo,
  CommitResult,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  PendingObject,
} from './object-store.js';
import { assertValidBucketName } from './bucket-name.js';
import { compareUtf8 } from './compare-utf8.js';
import { assertMaxKeys, cutListPage, type ListPage } from './list-page.js';
import { requireMemoryBucket, settle, type MemoryBucket } from './memory-bucket.js';
import { MemoryMultipartStore } from './memory-multipart-store.js';
import { MemoryPendingWrite } from './memory-pending-write.js';
import { assertStorableKey } from './object-key.js';
import { buildObjectMeta, snapshotNewMeta } from './object-meta.js';
import { noSuchBucket } from './store-errors.js';
import { newUploadId } from './upload-id.js';

export interface MemoryObjectStoreOptions {
  readonly now?: () => number;
  /** Upload id source for deterministic tests (default: time-ordered random, see upload-id.ts). */
  readonly newUploadId?: () => string;
}

export class MemoryObjectStore implements ObjectStore {
  readonly multipart: MemoryMultipartStore;
  readonly #buckets = new Map<string, MemoryBucket>();
  readonly #now: () => number;

  constructor(options: MemoryObjectStoreOptions = {}) {
    const now = options.now ?? Date.now;
    this.#now = now;
    this.multipart = new MemoryMultipartStore({
      buckets: this.#buckets,
      now,
      newUploadId: options.newUploadId ?? (() => newUploadId(now())),
    });
  }

  createBucket(name: string, acl: BucketInfo['acl'] = 'private'): Promise<BucketInfo> {
    return settle(() => {
      assertValidBucketName(name);
      const existing = this.#buckets.get(name);
      if (existing !== undefined) return existing.info;
      const info: BucketInfo = { name, acl, createdMs: this.#now() };
      this.#buckets.set(name, { info, corsJson: undefined, objects: new Map(), uploads: new Map() });
      return info;
    });
  }

  getBucket(name: string): Promise<BucketInfo | undefined> {
    return Promise.resolve(this.#buckets.get(name)?.info);
  }

  listBuckets(): Promise<BucketInfo[]> {
    const infos = [...this.#buckets.values()].map((bucket) => bucket.info);
    return Promise.resolve(infos.sort((a, b) => compareUtf8(a.name, b.name)));
  }

  deleteBucket(name: string): Promise<boolean> {
    return settle(() => {
      const bucket = this.#buckets.get(name);
      if (bucket === undefined) return false;
      if (bucket.objects.size > 0 || bucket.uploads.size > 0) {
        throw new OssError('BucketNotEmpty', { extra: [['BucketName', name]] });
      }
      return this.#buckets.delete(name);
    });
  }

  setBucketAcl(name: string, acl: BucketInfo['acl']): Promise<void> {
    return settle(() => {
      const bucket = requireMemoryBucket(this.#buckets, name);
      bucket.info = { ...bucket.info, acl };
    });
  }

  getBucketCors(name: string): Promise<BucketCors | undefined> {
    return settle(() => {
      const { corsJson } = requireMemoryBucket(this.#buckets, name);
      return corsJson === undefined ? undefined : (JSON.parse(corsJson) as BucketCors);
    });
  }

  setBucketCors(name: string, cors: BucketCors | undefined): Promise<void> {
    return settle(() => {
      requireMemoryBucket(this.#buckets, name).corsJson =
        cors === undefined ? undefined : JSON.stringify(cors);
    });
  }

  beginPut(meta: NewObjectMeta): Promise<PendingObject> {
    return settle(() => {
      assertStorableKey(meta.key);
      const bucket = requireMemoryBucket(this.#buckets, meta.bucket);
      const snapshot = snapshotNewMeta(meta);
      return new MemoryPendingWrite<CommitResult>((body, checksums, forbidOverwrite) => {
        if (this.#buckets.get(snapshot.bucket) !== bucket) {
          throw noSuchBucket(snapshot.bucket);
        }
        if (forbidOverwrite && bucket.objects.has(snapshot.key)) throw new OssError('FileAlreadyExists');
        const stored = buildObjectMeta(snapshot, checksums, this.#now());
        bucket.objects.set(snapshot.key, { meta: stored, body });
        return { meta: stored };
      });
    });
  }

  head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    return Promise.resolve(this.#buckets.get(bucket)?.objects.get(key)?.meta);
  }

  read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
    const stored = this.#buckets.get(bucket)?.objects.get(key);
    if (stored === undefined) return Promise.resolve(undefined);
    const bytes = range === undefined ? stored.body : stored.body.subarray(range.start, range.end + 1);
    return Promise.resolve({ meta: stored.meta, body: Readable.from([bytes]) });
  }

  delete(bucket: string, key: string): Promise<boolean> {
    return Promise.resolve(this.#buckets.get(bucket)?.objects.delete(key) ?? false);
  }

  list(
    bucket: string,
    options: { prefix?: string; startAfter?: string; maxKeys: number },
  ): Promise<ListPage> {
    return settle(() => {
      assertMaxKeys(options.maxKeys);
      const prefix = options.prefix ?? '';
      const startAfter = options.startAfter ?? '';
      const ordered = [...requireMemoryBucket(this.#buckets, bucket).objects.values()]
        .map((stored) => stored.meta)
        .filter((meta) => compareUtf8(meta.key, prefix) >= 0 && compareUtf8(meta.key, startAfter) > 0)
        .sort((a, b) => compareUtf8(a.key, b.key))
        .slice(0, options.maxKeys + 1);
      return cutListPage(ordered, prefix, options.maxKeys);
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
