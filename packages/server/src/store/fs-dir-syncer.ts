// Coalesced directory fsyncs for FsObjectStore's commits (docs/adr/0004 "Commit order": rename into
// place → fsync the directory → index transaction). fsync(2) on a directory makes durable every entry
// renamed into it BEFORE the call started, so one fsync can stand for several renames into one directory
// — but only for renames that finished before it began. Hence at most one fsync per directory in flight:
// a request that arrives while one runs waits for the NEXT one, which starts when the running one ends
// and covers everything that queued meanwhile. A failed fsync rejects every request it stood for (each
// caller then discards its own renamed file).
import { fsyncDir } from './blob-layout.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class FsDirSyncer {
  /** Directories with an fsync in flight → the requests waiting for the next one. */
  readonly #waiting = new Map<string, Waiter[]>();
  readonly #syncDir: (dir: string) => Promise<void>;
  #fsyncs = 0;

  constructor(syncDir: (dir: string) => Promise<void> = fsyncDir) {
    this.#syncDir = syncDir;
  }

  /** How many fsync calls were made (tests: fewer than the requests when they overlapped). */
  get fsyncs(): number {
    return this.#fsyncs;
  }

  /** Resolves once an fsync of `dir` that started after this call has completed. */
  sync(dir: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiting = this.#waiting.get(dir);
      if (waiting !== undefined) {
        waiting.push({ resolve, reject });
        return;
      }
      this.#waiting.set(dir, []);
      void this.#drain(dir, [{ resolve, reject }]);
    });
  }

  async #drain(dir: string, first: Waiter[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      this.#fsyncs += 1;
      try {
        await this.#syncDir(dir);
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
      const next = this.#waiting.get(dir) ?? [];
      this.#waiting.set(dir, []);
      batch = next;
    }
    this.#waiting.delete(dir);
  }
}
