// The embedded object store (architecture §3, docs/adr/0004): blobs as files named by random ids under
// `<dataDir>/blobs/<shard>/`, multipart parts under `<dataDir>/parts/`, keys and metadata only in the
// SQLite index `<dataDir>/index.sqlite`. Since no key ever becomes a path, traversal through keys is
// impossible by construction (threats §B6).
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type {
  BucketCors,
  BucketInfo,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  PendingObject,
} from './object-store.js';
import { BlobLayout, isBlobId, newBlobId, prepareLayout } from './blob-layout.js';
import { assertValidBucketName } from './bucket-name.js';
import { FsDirHandles } from './fs-dir-handles.js';
import { FsDirSyncer } from './fs-dir-syncer.js';
import { FsMultipartStore } from './fs-multipart-store.js';
import { objectWriteTarget } from './fs-object-target.js';
import { unlinkReplaced } from './fs-pending-write.js';
import { readBlob } from './fs-read-blob.js';
import { FsWriteTracker } from './fs-write-tracker.js';
import { assertMaxKeys, cutListPage, type ListPage } from './list-page.js';
import { assertStorableKey } from './object-key.js';
import { snapshotNewMeta } from './object-meta.js';
import { SqliteObjectIndex } from './sqlite-object-index.js';
import { noSuchBucket } from './store-errors.js';
import { sweepOrphans, type SweepReport } from './sweep-orphans.js';
import { newUploadId } from './upload-id.js';

export interface FsObjectStoreOptions {
  readonly dataDir: string;
  /** Clock for lastModifiedMs / createdMs / initiatedMs (ms since epoch). */
  readonly now?: () => number;
  /** File id source (blobs and parts) for deterministic tests: 32 lower-case hex characters, never reused. */
  readonly newBlobId?: () => string;
  /** Upload id source for deterministic tests (default: time-ordered random, see upload-id.ts). */
  readonly newUploadId?: () => string;
  /** How long to wait for a foreign lock holder before failing (threats §B13: keep it short). */
  readonly busyTimeoutMs?: number;
  /** Problems that do not fail the operation (an orphan left for the next sweep). */
  readonly warn?: (message: string, detail: Record<string, unknown>) => void;
}

export class FsObjectStore implements ObjectStore {
  /** What the start-up sweep removed or found lost; log it (lostObjects means data loss). */
  readonly sweepReport: SweepReport;
  readonly multipart: FsMultipartStore;
  readonly #layout: BlobLayout;
  readonly #index: SqliteObjectIndex;
  readonly #now: () => number;
  readonly #warn: (message: string, detail: Record<string, unknown>) => void;
  readonly #newBlobId: () => string;
  readonly #writes: FsWriteTracker;
  readonly #dirHandles: FsDirHandles;

  private constructor(
    layout: BlobLayout,
    index: SqliteObjectIndex,
    report: SweepReport,
    options: FsObjectStoreOptions,
  ) {
    this.#layout = layout;
    this.#index = index;
    this.sweepReport = report;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn ?? (() => undefined);
    this.#newBlobId = options.newBlobId ?? newBlobId;
    const dirHandles = new FsDirHandles();
    this.#dirHandles = dirHandles;
    const dirSyncer = new FsDirSyncer((dir) => dirHandles.sync(dir));
    const syncDir = (dir: string): Promise<void> => dirSyncer.sync(dir);
    this.#writes = new FsWriteTracker(this.#warn, syncDir);
    this.multipart = new FsMultipartStore({
      layout,
      index,
      now: this.#now,
      warn: this.#warn,
      syncDir,
      newFileId: () => this.#newFileId(),
      newUploadId: options.newUploadId ?? (() => newUploadId(this.#now())),
      assertOpen: () => this.#assertOpen(),
      beginWrite: (fileId, target) => this.#writes.begin(layout.tempPath(fileId), target),
      track: (work) => this.#writes.track(work),
    });
  }

  /** Opens (creating) the data directory, takes its lock and sweeps crash debris before serving. */
  static async open(options: FsObjectStoreOptions): Promise<FsObjectStore> {
    const layout = new BlobLayout(resolve(options.dataDir));
    await prepareLayout(layout);
    const nowMs = (options.now ?? Date.now)();
    const index = SqliteObjectIndex.open(layout.indexPath, {
      busyTimeoutMs: options.busyTimeoutMs ?? 1000,
      nowMs,
    });
    try {
      const report = await sweepOrphans(layout, index);
      return new FsObjectStore(layout, index, report, options);
    } catch (error) {
      index.close();
      throw error;
    }
  }

  createBucket(name: string, acl: BucketInfo['acl'] = 'private'): Promise<BucketInfo> {
    return this.#run(() => {
      assertValidBucketName(name);
      return this.#index.insertBucket({ name, acl, createdMs: this.#now() });
    });
  }

  getBucket(name: string): Promise<BucketInfo | undefined> {
    return this.#run(() => this.#index.getBucket(name));
  }

  listBuckets(): Promise<BucketInfo[]> {
    return this.#run(() => this.#index.listBuckets());
  }

  deleteBucket(name: string): Promise<boolean> {
    return this.#run(() => this.#index.deleteBucket(name));
  }

  setBucketAcl(name: string, acl: BucketInfo['acl']): Promise<void> {
    return this.#run(() => this.#index.setBucketAcl(name, acl));
  }

  getBucketCors(name: string): Promise<BucketCors | undefined> {
    return this.#run(() => this.#index.getBucketCors(name));
  }

  setBucketCors(name: string, cors: BucketCors | undefined): Promise<void> {
    return this.#run(() => this.#index.setBucketCors(name, cors));
  }

  async beginPut(meta: NewObjectMeta): Promise<PendingObject> {
    this.#assertOpen();
    assertStorableKey(meta.key);
    if (this.#index.getBucket(meta.bucket) === undefined) throw noSuchBucket(meta.bucket);
    const blobId = this.#newFileId();
    const target = objectWriteTarget(
      { layout: this.#layout, index: this.#index, now: this.#now },
      snapshotNewMeta(meta),
      blobId,
    );
    return await this.#writes.begin(this.#layout.tempPath(blobId), target);
  }

  head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    return this.#run(() => this.#index.getObject(bucket, key)?.meta);
  }

  /** Opens the blob before streaming (fs-read-blob.ts): a concurrent replace cannot cut the body. */
  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
    this.#assertOpen();
    return await readBlob({ layout: this.#layout, index: this.#index }, { bucket, key }, range);
  }

  async delete(bucket: string, key: string): Promise<boolean> {
    this.#assertOpen();
    const blobId = await this.#index.deleteObject(bucket, key);
    if (blobId === undefined) return false;
    await unlinkReplaced(this.#layout.blobPath(blobId), { warn: this.#warn });
    return true;
  }

  list(
    bucket: string,
    options: { prefix?: string; startAfter?: string; maxKeys: number },
  ): Promise<ListPage> {
    return this.#run(() => {
      assertMaxKeys(options.maxKeys);
      if (this.#index.getBucket(bucket) === undefined) throw noSuchBucket(bucket);
      const prefix = options.prefix ?? '';
      const rows = this.#index.listFrom(bucket, prefix, options.startAfter ?? '', options.maxKeys + 1);
      return cutListPage(rows, prefix, options.maxKeys);
    });
  }

  /** Aborts staged writes and waits for Completes in flight, then releases the index and its lock. */
  async close(): Promise<void> {
    if (this.#writes.closed) return;
    await this.#writes.close();
    await this.#dirHandles.close().catch((error: unknown) => {
      this.#warn('could not close a directory descriptor', { error });
    });
    this.#index.close();
  }

  #newFileId(): string {
    const id = this.#newBlobId();
    if (!isBlobId(id)) throw new Error(`FsObjectStore: newBlobId() returned an invalid id: ${id}`);
    return id;
  }

  #run<T>(work: () => T): Promise<T> {
    try {
      this.#assertOpen();
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #assertOpen(): void {
    if (this.#writes.closed) throw new Error('FsObjectStore is closed');
  }
}
