// One staged write of FsObjectStore — an object (PutObject/PostObject) or a multipart part. The body goes
// to `<dataDir>/tmp/<id>`; commit publishes it in the order that keeps every crash recoverable (threats
// §B13 "Commit protocol", docs/adr/0004):
//   fsync file as the sink closes (fs-staged-file-ops.ts) → size check → rename into place → fsync its directory → index transaction
//   → unlink what it replaced.
// The directory fsync is shared with concurrent commits into the same directory (fs-dir-syncer.ts) and
// the index transaction with concurrent commits of any kind (@upcall/sqlite-group-commit); neither sharing
// moves a step ahead of the one before it, and the transaction is durable before commit() resolves.
// A crash before the transaction leaves an unindexed file (temp, blob or part) that the start-up sweep
// removes; a crash after it leaves the replaced file as such an orphan. Readers never see partial bytes.
// What "into place" and "index" mean is the target's business (FsWriteTarget).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, rename } from 'node:fs/promises';
import { OssError } from '@upcall/protocol';
import { unlinkIfPresent } from './blob-layout.js';
import { FsStagedFileOps } from './fs-staged-file-ops.js';
import { injectFault, skipFsyncByFault } from './fault-injection.js';
import type { Checksums } from './object-meta.js';
import { awaitEndedSink, destroyAndWaitForClose, keepSinkErrorForCommit } from './sink-closing.js';

export interface FsWriteTarget<T> {
  /** Where the staged file is published by rename(2): same filesystem as tmp/. */
  readonly finalPath: string;
  /** Makes the destination directory exist; returns it, for the fsync after the rename. */
  prepareDir(): Promise<string>;
  /** A cheap early refusal (e.g. FileAlreadyExists) before the rename and fsync work. */
  precheck(forbidOverwrite: boolean): void;
  /** The commit point: one (group-committed) index transaction, durable when this resolves. */
  index(checksums: Checksums, forbidOverwrite: boolean): Promise<{ result: T; replacedPath?: string }>;
}

export interface FsPendingDeps {
  readonly warn: (message: string, detail: Record<string, unknown>) => void;
  /** Called once when the write is committed or aborted (the store tracks open writes for close()). */
  readonly onSettled: (pending: FsPendingWrite<unknown>) => void;
  /** fsync(2) of a directory, after every rename into it made so far (FsDirSyncer.sync). */
  readonly syncDir: (dir: string) => Promise<void>;
}

type State = 'writing' | 'committing' | 'committed' | 'aborted';

export class FsPendingWrite<T> {
  readonly sink: WriteStream;
  readonly #fileOps = new FsStagedFileOps();
  readonly #tempPath: string;
  readonly #target: FsWriteTarget<T>;
  readonly #deps: FsPendingDeps;
  #state: State = 'writing';
  #settling: Promise<unknown> = Promise.resolve();

  private constructor(tempPath: string, target: FsWriteTarget<T>, deps: FsPendingDeps) {
    this.#tempPath = tempPath;
    this.#target = target;
    this.#deps = deps;
    // 'wx': the temp name is fresh and random; never follow or reuse something already there.
    this.sink = createWriteStream(tempPath, { flags: 'wx', mode: 0o600, fs: this.#fileOps.streamFs });
    keepSinkErrorForCommit(this.sink);
  }

  /** Creates the temp file; resolves once it is open, so open errors (EMFILE, EACCES) surface here. */
  static async create<T>(
    tempPath: string,
    target: FsWriteTarget<T>,
    deps: FsPendingDeps,
  ): Promise<FsPendingWrite<T>> {
    const pending = new FsPendingWrite(tempPath, target, deps);
    try {
      await once(pending.sink, 'ready');
    } catch (error) {
      await pending.abort();
      throw error;
    }
    return pending;
  }

  commit(checksums: Checksums, options: { forbidOverwrite?: boolean } = {}): Promise<T> {
    if (this.#state !== 'writing') {
      return Promise.reject(new Error(`FsPendingWrite: commit() after ${this.#state}`));
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

  async #publish(checksums: Checksums, forbidOverwrite: boolean): Promise<T> {
    let published = false;
    let outcome: { result: T; replacedPath?: string };
    try {
      // The sink's close has fsynced the file and read its size (fs-staged-file-ops.ts).
      await awaitEndedSink(this.sink);
      if (this.#fileOps.earlyError !== undefined) throw this.#fileOps.earlyError;
      injectFault('after-data-write');
      checkStagedSize(this.#fileOps.syncedSize, this.sink.bytesWritten, checksums.size);
      this.#target.precheck(forbidOverwrite);
      const dir = await this.#target.prepareDir();
      injectFault('before-blob-rename');
      await rename(this.#tempPath, this.#target.finalPath);
      published = true;
      await this.#deps.syncDir(dir);
      injectFault('after-blob-rename');
      outcome = await this.#target.index(checksums, forbidOverwrite);
    } catch (error) {
      await this.#discard(published).catch((cleanupError: unknown) =>
        this.#deps.warn('could not remove staged bytes; the start-up sweep will', {
          path: this.#tempPath,
          error: cleanupError,
        }),
      );
      throw error;
    }
    injectFault('after-index-commit');
    if (outcome.replacedPath !== undefined) await unlinkReplaced(outcome.replacedPath, this.#deps);
    return outcome.result;
  }

  async #discard(published: boolean): Promise<void> {
    this.#fileOps.abandon();
    await destroyAndWaitForClose(this.sink);
    await unlinkIfPresent(this.#tempPath);
    if (published) await unlinkIfPresent(this.#target.finalPath);
  }
}

/**
 * The size check after the fsync: it catches short writes reported as success (nodejs/node #31908,
 * threats §B13): the caller counted the bytes it sent; the file must hold exactly that many.
 */
export function checkStagedSize(
  storedBytes: number | undefined,
  writtenBytes: number,
  expectedBytes: number,
): void {
  if (storedBytes !== expectedBytes || writtenBytes !== expectedBytes) {
    throw new OssError('InternalError', {
      cause: new Error(
        `stored ${storedBytes} bytes (stream wrote ${writtenBytes}), expected ${expectedBytes}`,
      ),
    });
  }
}

/** fsync before rename, so the name never points at unwritten data after a power cut; then the size check. */
export async function syncAndCheckSize(
  path: string,
  expectedBytes: number,
  writtenBytes: number,
): Promise<void> {
  const handle = await open(path, 'r');
  try {
    if (!skipFsyncByFault('data-fsync')) await handle.sync();
    const { size } = await handle.stat();
    checkStagedSize(size, writtenBytes, expectedBytes);
  } finally {
    await handle.close();
  }
}

/** The new version is committed already; a failure here only leaves an orphan for the next sweep. */
export async function unlinkReplaced(path: string, deps: Pick<FsPendingDeps, 'warn'>): Promise<void> {
  try {
    await unlinkIfPresent(path);
  } catch (error) {
    deps.warn('could not unlink a replaced file; the start-up sweep will', { path, error });
  }
}
