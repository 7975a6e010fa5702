// Starts flushing a large staged file while it is still arriving, so the fsync before the rename (the
// commit protocol, fs-pending-write.ts) finds little left to write. Without it a 1 GiB upload received
// into the page cache at 300+ MB/s paid its whole flush at the end: 0.5–0.7 s on an idle disk and up to
// 6 s right after a large delete (ext4 with online discard, perf-notes §1), all of it on the uploader's
// wait for the answer. With an fdatasync after every `everyBytes` (at most one in flight, on the thread
// pool, overlapping the next bytes' arrival) the final fsync measured 0.2–0.35 s for 1 GiB.
//
// It plugs into fs.createWriteStream's `fs` option (open/write/writev/close overrides), so it sees the
// stream's own descriptor: `close` waits for an in-flight fdatasync, so the descriptor is never closed
// (and perhaps reused) under it. An error of an early fdatasync is kept and rethrown at commit: Linux
// reports a writeback error once per open file (errseq), so the commit's fsync through a descriptor opened
// later would not see it (threats §B13: a failed write is never a stored object).
import { close, fdatasync, open, write, writev, type createWriteStream } from 'node:fs';

/** 64 MiB: a few fdatasyncs per GiB; small objects (the common case) never pay one. */
export const defaultEarlyWritebackBytes = 64 * 1024 * 1024;

type StreamFs = NonNullable<Exclude<Parameters<typeof createWriteStream>[1], string | undefined>['fs']>;
type WriteDone = (error: NodeJS.ErrnoException | null, written: number, data: unknown) => void;

export interface FsEarlyWritebackOptions {
  readonly everyBytes?: number;
  /** fdatasync(2); injectable so tests can delay it or make it fail. */
  readonly datasync?: (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;
}

export class FsEarlyWriteback {
  readonly #everyBytes: number;
  readonly #datasync: NonNullable<FsEarlyWritebackOptions['datasync']>;
  #unsyncedBytes = 0;
  #inFlight: Promise<void> | undefined;
  #error: Error | undefined;

  constructor(options: FsEarlyWritebackOptions = {}) {
    this.#everyBytes = options.everyBytes ?? defaultEarlyWritebackBytes;
    this.#datasync = options.datasync ?? fdatasync;
  }

  /** The first error an early fdatasync reported, if any; the commit must fail with it. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Overrides for createWriteStream's `fs` option; one FsEarlyWriteback per stream. */
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
    close: (fd: number, done: (error: NodeJS.ErrnoException | null) => void): void => {
      const inFlight = this.#inFlight;
      if (inFlight === undefined) close(fd, done);
      else void inFlight.then(() => close(fd, done));
    },
  } satisfies StreamFs;

  #count(fd: number, written: number): void {
    this.#unsyncedBytes += written;
    if (this.#unsyncedBytes < this.#everyBytes || this.#inFlight !== undefined) return;
    this.#unsyncedBytes = 0;
    this.#inFlight = new Promise((resolve) => {
      this.#datasync(fd, (error) => {
        if (error !== null) this.#error ??= error;
        this.#inFlight = undefined;
        resolve();
      });
    });
  }
}
