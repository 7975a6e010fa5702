// The file operations behind a staged write's stream (FsPendingWrite.sink), plugged into
// fs.createWriteStream's `fs` option (open/write/writev/close overrides), so they act on the stream's own
// descriptor:
//
// Early writeback. A large staged file is fdatasynced after every `everyBytes` while it is still arriving
// (at most one in flight, on the thread pool, overlapping the next bytes' arrival), so the fsync of the
// commit protocol finds little left to write. Without it a 1 GiB upload received into the page cache at
// 300+ MB/s paid its whole flush at the end: 0.5–0.7 s on an idle disk and up to 6 s right after a large
// delete (ext4 with online discard, perf-notes §1), all of it on the uploader's wait for the answer; with
// it the final fsync measured 0.2–0.35 s.
//
// Sync at close. The commit's fsync and size check (threats §B13: short writes reported as success,
// nodejs/node #31908) run on the stream's descriptor just before it is closed: fsync, then fstat, then
// close. Reopening the file at commit for the same work cost a small upload two more thread-pool round
// trips (open, close) of the ~12 it made (docs/benchmarks.md, scenario 3). An abandoned write skips it.
//
// Errors. An early fdatasync's error is kept and rethrown at commit: Linux reports a writeback error once
// per open file (errseq), so no later check would see it. A failing fsync or fstat at close is reported as
// the close's error, which the stream turns into its own error, so the commit fails like a write error.
import { close, fdatasync, fstat, fsync, open, write, writev, type createWriteStream } from 'node:fs';
import { skipFsyncByFault } from './fault-injection.js';

/** 64 MiB: a few fdatasyncs per GiB; small objects (the common case) never pay one. */
export const defaultEarlyWritebackBytes = 64 * 1024 * 1024;

type StreamFs = NonNullable<Exclude<Parameters<typeof createWriteStream>[1], string | undefined>['fs']>;
type Done = (error: NodeJS.ErrnoException | null) => void;
type WriteDone = (error: NodeJS.ErrnoException | null, written: number, data: unknown) => void;

export interface FsStagedFileOpsOptions {
  readonly everyBytes?: number;
  /** fdatasync(2); injectable so tests can delay it or make it fail. */
  readonly datasync?: (fd: number, done: Done) => void;
}

/** fsync honouring the `data-fsync` fault point (fault-injection.ts: skip, eio, kill). */
function syncData(fd: number, done: Done): void {
  let skip: boolean;
  try {
    skip = skipFsyncByFault('data-fsync');
  } catch (error) {
    done(error as NodeJS.ErrnoException);
    return;
  }
  if (skip) done(null);
  else fsync(fd, done);
}

export class FsStagedFileOps {
  readonly #everyBytes: number;
  readonly #datasync: NonNullable<FsStagedFileOpsOptions['datasync']>;
  #unsyncedBytes = 0;
  #inFlight: Promise<void> | undefined;
  #earlyError: Error | undefined;
  #abandoned = false;
  #syncedSize: number | undefined;

  constructor(options: FsStagedFileOpsOptions = {}) {
    this.#everyBytes = options.everyBytes ?? defaultEarlyWritebackBytes;
    this.#datasync = options.datasync ?? fdatasync;
  }

  /** The first error an early fdatasync reported, if any; the commit must fail with it. */
  get earlyError(): Error | undefined {
    return this.#earlyError;
  }

  /** The file's size as fstat saw it after the fsync at close; undefined until then (or if abandoned). */
  get syncedSize(): number | undefined {
    return this.#syncedSize;
  }

  /** The write is being discarded: close without the fsync. */
  abandon(): void {
    this.#abandoned = true;
  }

  /** Overrides for createWriteStream's `fs` option; one FsStagedFileOps per stream. */
  readonly streamFs = {
    open,
    write: (
      fd: number,
      buffer: Buffer,
      offset: number,
      length: number,
      position: number | null,
      done: WriteDone,
    ): void => {
      write(fd, buffer, offset, length, position, (error, written, data) => {
        if (error === null) this.#count(fd, written);
        done(error, written, data);
      });
    },
    writev: (
      fd: number,
      buffers: NodeJS.ArrayBufferView[],
      position: number | null,
      done: WriteDone,
    ): void => {
      writev(fd, buffers, position, (error, written, data) => {
        if (error === null) this.#count(fd, written);
        done(error, written, data);
      });
    },
    close: (fd: number, done: Done): void => {
      const inFlight = this.#inFlight;
      if (inFlight === undefined) this.#syncAndClose(fd, done);
      else void inFlight.then(() => this.#syncAndClose(fd, done));
    },
  } satisfies StreamFs;

  #syncAndClose(fd: number, done: Done): void {
    if (this.#abandoned) {
      close(fd, done);
      return;
    }
    syncData(fd, (syncError) => {
      if (syncError !== null) return close(fd, () => done(syncError));
      fstat(fd, (statError, stats) => {
        if (statError !== null) return close(fd, () => done(statError));
        this.#syncedSize = stats.size;
        close(fd, done);
      });
    });
  }

  #count(fd: number, written: number): void {
    this.#unsyncedBytes += written;
    if (this.#unsyncedBytes < this.#everyBytes || this.#inFlight !== undefined) return;
    this.#unsyncedBytes = 0;
    this.#inFlight = new Promise((resolve) => {
      this.#datasync(fd, (error) => {
        if (error !== null) this.#earlyError ??= error;
        this.#inFlight = undefined;
        resolve();
      });
    });
  }
}
