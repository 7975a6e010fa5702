// An ObjectStore in process memory, for tests of the layers above the store. It keeps the same
// promises as FsObjectStore (it passes the same contract suite): staged writes invisible until commit,
// atomic replace, forbid-overwrite, byte-order listing, bodies that survive a later replace.
import { Readable, Writable } from 'node:stream';
import { OssError } from '@upcall/protocol';
import type {
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
import { assertStorableKey } from './object-key.js';
import { buildObjectMeta, snapshotNewMeta, type Checksums } from './object-meta.js';
import { awaitEndedSink, destroyAndWaitForClose, keepSinkErrorForCommit } from './sink-closing.js';

interface StoredObject {
  readonly meta: ObjectMeta;
  readonly body: Buffer;
}

interface MemoryBucket {
  readonly info: BucketInfo;
  readonly objects: Map<string, StoredObject>;
}

export class MemoryObjectStore implements ObjectStore {
  readonly #buckets = new Map<string, MemoryBucket>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  createBucket(name: string, acl: BucketInfo['acl'] = 'private'): Promise<BucketInfo> {
    return settle(() => {
      assertValidBucketName(name);
      const existing = this.#buckets.get(name);
      if (existing !== undefined) return existing.info;
      const info: BucketInfo = { name, acl, createdMs: this.#now() };
      this.#buckets.set(name, { info, objects: new Map() });
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

  beginPut(meta: NewObjectMeta): Promise<PendingObject> {
    return settle(() => {
      assertStorableKey(meta.key);
      const bucket = this.#requireBucket(meta.bucket);
      return new MemoryPendingObject(snapshotNewMeta(meta), bucket.objects, this.#now);
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
      const ordered = [...this.#requireBucket(bucket).objects.values()]
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

  #requireBucket(name: string): MemoryBucket {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) throw new OssError('NoSuchBucket', { extra: [['BucketName', name]] });
    return bucket;
  }
}

type State = 'writing' | 'committing' | 'committed' | 'aborted';

class MemoryPendingObject implements PendingObject {
  readonly sink: Writable;
  readonly #chunks: Buffer[] = [];
  #state: State = 'writing';
  #settling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly meta: NewObjectMeta,
    private readonly objects: Map<string, StoredObject>,
    private readonly now: () => number,
  ) {
    this.sink = new Writable({
      // Completes on a later turn, like real I/O, so writers see ordinary backpressure.
      write: (chunk: Buffer, _encoding, callback) => {
        this.#chunks.push(Buffer.from(chunk)); // the producer may reuse its buffer
        setImmediate(callback);
      },
    });
    keepSinkErrorForCommit(this.sink);
  }

  commit(checksums: Checksums, options: { forbidOverwrite?: boolean } = {}): Promise<CommitResult> {
    if (this.#state !== 'writing') return Promise.reject(new Error(`commit() after ${this.#state}`));
    this.#state = 'committing';
    const work = this.#publish(checksums, options.forbidOverwrite === true);
    this.#settling = work.then(
      () => (this.#state = 'committed'),
      () => (this.#state = 'aborted'),
    );
    return work;
  }

  async abort(): Promise<void> {
    if (this.#state !== 'writing') {
      await this.#settling;
      return;
    }
    this.#state = 'aborted';
    this.#chunks.length = 0;
    await destroyAndWaitForClose(this.sink);
  }

  async #publish(checksums: Checksums, forbidOverwrite: boolean): Promise<CommitResult> {
    try {
      await awaitEndedSink(this.sink);
      const body = Buffer.concat(this.#chunks);
      if (body.length !== checksums.size) {
        throw new OssError('InternalError', {
          cause: new Error(`received ${body.length} bytes, expected ${checksums.size}`),
        });
      }
      if (forbidOverwrite && this.objects.has(this.meta.key)) throw new OssError('FileAlreadyExists');
      const meta = buildObjectMeta(this.meta, checksums, this.now());
      this.objects.set(this.meta.key, { meta, body });
      return { meta };
    } finally {
      this.#chunks.length = 0;
      await destroyAndWaitForClose(this.sink);
    }
  }
}

/** Runs synchronous store logic so that a throw becomes a rejection, as callers of a Promise API expect. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
