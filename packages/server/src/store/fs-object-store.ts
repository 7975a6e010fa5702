// The embedded object store (architecture §3, docs/adr/0004): blobs as files named by random ids under
// `<dataDir>/blobs/<shard>/`, keys and metadata only in the SQLite index `<dataDir>/index.sqlite`.
// Since no key ever becomes a path, traversal through keys is impossible by construction (threats §B6).
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { OssError } from '@upcall/protocol';
import type { BucketInfo, NewObjectMeta, ObjectMeta, ObjectStore, PendingObject } from './object-store.js';
import {
  BlobLayout,
  isBlobId,
  isErrnoCode,
  newBlobId,
  prepareLayout,
  unlinkIfPresent,
} from './blob-layout.js';
import { assertValidBucketName } from './bucket-name.js';
import { FsPendingObject, type FsPendingDeps } from './fs-pending-object.js';
import { assertMaxKeys, cutListPage, type ListPage } from './list-page.js';
import { assertStorableKey } from './object-key.js';
import { snapshotNewMeta } from './object-meta.js';
import { SqliteObjectIndex, type IndexedObject } from './sqlite-object-index.js';
import { sweepOrphans, type SweepReport } from './sweep-orphans.js';

export interface FsObjectStoreOptions {
  readonly dataDir: string;
  /** Clock for lastModifiedMs / createdMs (ms since epoch). */
  readonly now?: () => number;
  /** Blob id source for deterministic tests; must return 32 lower-case hex characters, never reused. */
  readonly newBlobId?: () => string;
  /** How long to wait for a foreign lock holder before failing (threats §B13: keep it short). */
  readonly busyTimeoutMs?: number;
  /** Problems that do not fail the operation (an orphan left for the next sweep). */
  readonly warn?: (message: string, detail: Record<string, unknown>) => void;
}

/** How often read() retries when the blob it looked up was replaced before it could be opened. */
const maxReadAttempts = 8;

export class FsObjectStore implements ObjectStore {
  /** What the start-up sweep removed or found lost; log it (lostObjects means data loss). */
  readonly sweepReport: SweepReport;
  readonly #layout: BlobLayout;
  readonly #index: SqliteObjectIndex;
  readonly #deps: FsPendingDeps;
  readonly #newBlobId: () => string;
  readonly #pending = new Set<FsPendingObject>();
  #closed = false;

  private constructor(
    layout: BlobLayout,
    index: SqliteObjectIndex,
    report: SweepReport,
    options: FsObjectStoreOptions,
  ) {
    this.#layout = layout;
    this.#index = index;
    this.sweepReport = report;
    this.#newBlobId = options.newBlobId ?? newBlobId;
    this.#deps = {
      layout,
      index,
      now: options.now ?? Date.now,
      warn: options.warn ?? (() => undefined),
      onSettled: (pending) => this.#pending.delete(pending),
    };
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
      return this.#index.insertBucket({ name, acl, createdMs: this.#deps.now() });
    });
  }

  getBucket(name: string): Promise<BucketInfo | undefined> {
    return this.#run(() => this.#index.getBucket(name));
  }

  listBuckets(): Promise<BucketInfo[]> {
    return this.#run(() => this.#index.listBuckets());
  }

  async beginPut(meta: NewObjectMeta): Promise<PendingObject> {
    this.#assertOpen();
    assertStorableKey(meta.key);
    if (this.#index.getBucket(meta.bucket) === undefined) {
      throw new OssError('NoSuchBucket', { extra: [['BucketName', meta.bucket]] });
    }
    const blobId = this.#newBlobId();
    if (!isBlobId(blobId)) throw new Error(`FsObjectStore: newBlobId() returned an invalid id: ${blobId}`);
    const pending = await FsPendingObject.create(snapshotNewMeta(meta), blobId, this.#deps);
    this.#pending.add(pending);
    if (this.#closed) {
      await pending.abort();
      this.#assertOpen();
    }
    return pending;
  }

  head(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    return this.#run(() => this.#index.getObject(bucket, key)?.meta);
  }

  /**
   * Opens the blob by id before streaming, so a concurrent replace or delete (which unlinks the old blob
   * after its transaction) cannot cut the body: POSIX keeps an unlinked file alive while it is open.
   */
  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
    this.#assertOpen();
    for (let attempt = 0; attempt < maxReadAttempts; attempt += 1) {
      const entry = this.#index.getObject(bucket, key);
      if (entry === undefined) return undefined;
      const handle = await this.#openBlob(entry);
      if (handle === undefined) continue; // replaced between lookup and open: look up again
      const body = handle.createReadStream(range === undefined ? {} : { start: range.start, end: range.end });
      return { meta: entry.meta, body };
    }
    throw new OssError('InternalError', {
      cause: new Error(`object kept changing while opening ${bucket}/${key}`),
    });
  }

  async delete(bucket: string, key: string): Promise<boolean> {
    this.#assertOpen();
    const blobId = this.#index.deleteObject(bucket, key);
    if (blobId === undefined) return false;
    try {
      await unlinkIfPresent(this.#layout.blobPath(blobId));
    } catch (error) {
      this.#deps.warn('could not unlink a deleted blob; the start-up sweep will', { blobId, error });
    }
    return true;
  }

  list(
    bucket: string,
    options: { prefix?: string; startAfter?: string; maxKeys: number },
  ): Promise<ListPage> {
    return this.#run(() => {
      assertMaxKeys(options.maxKeys);
      if (this.#index.getBucket(bucket) === undefined) {
        throw new OssError('NoSuchBucket', { extra: [['BucketName', bucket]] });
      }
      const prefix = options.prefix ?? '';
      const rows = this.#index.listFrom(bucket, prefix, options.startAfter ?? '', options.maxKeys + 1);
      return cutListPage(rows, prefix, options.maxKeys);
    });
  }

  /** Aborts staged writes (waiting for commits in flight), then releases the index and its lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#pending].map((pending) => pending.abort()));
    this.#index.close();
  }

  /**
   * Opens the blob an index entry names. undefined when it vanished because the entry was replaced or
   * deleted meanwhile; InternalError when the entry still names it (data lost outside the protocol —
   * a 500, not a misleading 404; the next start-up sweep drops the entry and reports it).
   */
  async #openBlob(entry: IndexedObject) {
    try {
      return await open(this.#layout.blobPath(entry.blobId), 'r');
    } catch (error) {
      if (!isErrnoCode(error, 'ENOENT')) throw error;
      if (this.#index.getObject(entry.meta.bucket, entry.meta.key)?.blobId !== entry.blobId) return undefined;
      throw new OssError('InternalError', {
        cause: new Error(`blob ${entry.blobId} of ${entry.meta.key} is missing`),
      });
    }
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
    if (this.#closed) throw new Error('FsObjectStore is closed');
  }
}
