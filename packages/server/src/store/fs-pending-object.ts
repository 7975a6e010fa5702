// One staged write of FsObjectStore. The body goes to `<dataDir>/tmp/<blobId>`; commit publishes it in
// the order that keeps every crash recoverable (threats §B13 "Commit protocol", docs/adr/0004):
//   sink closed → fsync file + size check → rename into blobs/ → fsync shard dir → index transaction
//   → unlink the replaced blob.
// A crash before the transaction leaves an unindexed file (temp or blob) that the start-up sweep
// removes; a crash after it leaves the replaced blob as such an orphan. Readers never see partial bytes.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, rename } from 'node:fs/promises';
import { OssError } from '@upcall/protocol';
import type { CommitResult, NewObjectMeta, PendingObject } from './object-store.js';
import { fsyncDir, shardOf, unlinkIfPresent, type BlobLayout } from './blob-layout.js';
import { buildObjectMeta, type Checksums } from './object-meta.js';
import { awaitEndedSink, destroyAndWaitForClose, keepSinkErrorForCommit } from './sink-closing.js';
import type { SqliteObjectIndex } from './sqlite-object-index.js';

export interface FsPendingDeps {
  readonly layout: BlobLayout;
  readonly index: SqliteObjectIndex;
  readonly now: () => number;
  readonly warn: (message: string, detail: Record<string, unknown>) => void;
  /** Called once when the object is committed or aborted (the store tracks open writes for close()). */
  readonly onSettled: (pending: FsPendingObject) => void;
}

type State = 'writing' | 'committing' | 'committed' | 'aborted';

export class FsPendingObject implements PendingObject {
  readonly sink: WriteStream;
  readonly #meta: NewObjectMeta;
  readonly #blobId: string;
  readonly #deps: FsPendingDeps;
  #state: State = 'writing';
  #settling: Promise<unknown> = Promise.resolve();

  private constructor(meta: NewObjectMeta, blobId: string, deps: FsPendingDeps) {
    this.#meta = meta;
    this.#blobId = blobId;
    this.#deps = deps;
    // 'wx': the temp name is fresh and random; never follow or reuse something already there.
    this.sink = createWriteStream(deps.layout.tempPath(blobId), { flags: 'wx', mode: 0o600 });
    keepSinkErrorForCommit(this.sink);
  }

  /** Creates the temp file; resolves once it is open, so open errors (EMFILE, EACCES) surface here. */
  static async create(meta: NewObjectMeta, blobId: string, deps: FsPendingDeps): Promise<FsPendingObject> {
    const pending = new FsPendingObject(meta, blobId, deps);
    try {
      await once(pending.sink, 'ready');
    } catch (error) {
      await pending.abort();
      throw error;
    }
    return pending;
  }

  commit(checksums: Checksums, options: { forbidOverwrite?: boolean } = {}): Promise<CommitResult> {
    if (this.#state !== 'writing') {
      return Promise.reject(new Error(`FsPendingObject: commit() after ${this.#state}`));
    }
    this.#state = 'committing';
    const work = this.#publish(checksums, options.forbidOverwrite === true);
    this.#settling = work.then(
      () => this.#settle('committed'),
      () => this.#settle('aborted'),
    );
    return work;
  }

  /** Safe at any time: while the sink is open or erroring, during or after commit (then a no-op). */
  async abort(): Promise<void> {
    if (this.#state !== 'writing') {
      await this.#settling;
      return;
    }
    this.#state = 'aborted';
    this.#settling = this.#discard(false).finally(() => this.#settle('aborted'));
    await this.#settling;
  }

  #settle(state: 'committed' | 'aborted'): void {
    this.#state = state;
    this.#deps.onSettled(this);
  }

  async #publish(checksums: Checksums, forbidOverwrite: boolean): Promise<CommitResult> {
    const { layout, index } = this.#deps;
    const { bucket, key } = this.#meta;
    let published = false;
    let replaced: string | undefined;
    const meta = buildObjectMeta(this.#meta, checksums, this.#deps.now());
    try {
      await awaitEndedSink(this.sink);
      await this.#syncAndCheckSize(checksums.size);
      // Early answer without the rename/fsync work; the authoritative check is in the transaction.
      if (forbidOverwrite && index.getObject(bucket, key) !== undefined) {
        throw new OssError('FileAlreadyExists');
      }
      await layout.ensureShardDir(shardOf(this.#blobId));
      await rename(layout.tempPath(this.#blobId), layout.blobPath(this.#blobId));
      published = true;
      await fsyncDir(layout.shardDir(shardOf(this.#blobId)));
      replaced = index.commitObject({ meta, blobId: this.#blobId }, forbidOverwrite);
    } catch (error) {
      await this.#discard(published).catch((cleanupError: unknown) =>
        this.#deps.warn('could not remove staged bytes; the start-up sweep will', {
          blobId: this.#blobId,
          error: cleanupError,
        }),
      );
      throw error;
    }
    if (replaced !== undefined) await this.#unlinkReplaced(replaced);
    return { meta };
  }

  /**
   * fsync before rename, so the name never points at unwritten data after a power cut. The size check
   * catches short writes reported as success (nodejs/node #31908, threats §B13): the caller counted the
   * bytes it sent; the file must hold exactly that many.
   */
  async #syncAndCheckSize(expectedBytes: number): Promise<void> {
    const handle = await open(this.#deps.layout.tempPath(this.#blobId), 'r');
    try {
      await handle.sync();
      const { size } = await handle.stat();
      if (size !== expectedBytes || this.sink.bytesWritten !== expectedBytes) {
        throw new OssError('InternalError', {
          cause: new Error(
            `stored ${size} bytes (stream wrote ${this.sink.bytesWritten}), expected ${expectedBytes}`,
          ),
        });
      }
    } finally {
      await handle.close();
    }
  }

  /** The object is committed already; a failure here only leaves an orphan for the next sweep. */
  async #unlinkReplaced(blobId: string): Promise<void> {
    try {
      await unlinkIfPresent(this.#deps.layout.blobPath(blobId));
    } catch (error) {
      this.#deps.warn('could not unlink a replaced blob; the start-up sweep will', { blobId, error });
    }
  }

  async #discard(published: boolean): Promise<void> {
    await destroyAndWaitForClose(this.sink);
    await unlinkIfPresent(this.#deps.layout.tempPath(this.#blobId));
    if (published) await unlinkIfPresent(this.#deps.layout.blobPath(this.#blobId));
  }
}
