// What FsObjectStore.close() must settle before it releases the index: staged writes still open (they
// are aborted, removing their temp files) and Completes in flight (awaited, so none is cut between its
// rename and its index transaction by a closed database).
import { FsPendingWrite, type FsPendingDeps, type FsWriteTarget } from './fs-pending-write.js';

export class FsWriteTracker {
  readonly #pending = new Set<FsPendingWrite<unknown>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #deps: FsPendingDeps;
  #closed = false;

  constructor(warn: FsPendingDeps['warn'], syncDir: FsPendingDeps['syncDir']) {
    this.#deps = { warn, syncDir, onSettled: (pending) => this.#pending.delete(pending) };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Creates the staged write; if close() ran meanwhile, aborts it and throws. */
  async begin<T>(tempPath: string, target: FsWriteTarget<T>): Promise<FsPendingWrite<T>> {
    const pending = await FsPendingWrite.create(tempPath, target, this.#deps);
    this.#pending.add(pending);
    if (this.#closed) {
      await pending.abort();
      throw new Error('FsObjectStore is closed');
    }
    return pending;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.#inFlight.add(running);
    try {
      return await running;
    } finally {
      this.#inFlight.delete(running);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#pending].map((pending) => pending.abort()));
    await Promise.allSettled([...this.#inFlight]);
  }
}
