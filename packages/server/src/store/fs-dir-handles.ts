// Directory fsyncs through descriptors kept open (docs/adr/0004 "Commit order": rename into place → fsync
// the directory). Opening and closing the directory around every fsync cost each small upload two more
// thread-pool round trips (docs/benchmarks.md, scenario 3). The store's directories that get fsynced —
// blobs/, its shard directories, parts/ — live as long as the process (the start-up sweep only empties
// them, before any commit), so a descriptor opened once stays the right inode. At most `maxOpen`
// descriptors are kept; a directory beyond that is opened per fsync, as before.
import { close, fsync, open } from 'node:fs';
import { skipFsyncByFault } from './fault-injection.js';

const defaultMaxOpen = 512;

function openDir(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    open(dir, 'r', (error, fd) => (error === null ? resolve(fd) : reject(error)));
  });
}

function syncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fsync(fd, (error) => (error === null ? resolve() : reject(error)));
  });
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    close(fd, (error) => (error === null ? resolve() : reject(error)));
  });
}

export class FsDirHandles {
  readonly #maxOpen: number;
  readonly #open = new Map<string, Promise<number>>();
  #closed = false;

  constructor(maxOpen = defaultMaxOpen) {
    this.#maxOpen = maxOpen;
  }

  /** How many directory descriptors are held (tests). */
  get openCount(): number {
    return this.#open.size;
  }

  /** fsync(2) of `dir`, honouring the `dir-fsync` fault point (fault-injection.ts). */
  async sync(dir: string): Promise<void> {
    const kept = this.#descriptor(dir);
    const fd = await (kept ?? openDir(dir));
    try {
      if (!skipFsyncByFault('dir-fsync')) await syncFd(fd);
    } finally {
      if (kept === undefined) await closeFd(fd);
    }
  }

  /** Closes every kept descriptor; later syncs open and close their own. */
  async close(): Promise<void> {
    this.#closed = true;
    const kept = [...this.#open.values()];
    this.#open.clear();
    for (const fd of await Promise.allSettled(kept)) {
      if (fd.status === 'fulfilled') await closeFd(fd.value);
    }
  }

  #descriptor(dir: string): Promise<number> | undefined {
    const known = this.#open.get(dir);
    if (known !== undefined || this.#closed || this.#open.size >= this.#maxOpen) return known;
    const opening = openDir(dir);
    this.#open.set(dir, opening);
    // A directory that cannot be opened is not kept: the caller sees the error, a later call retries.
    opening.catch(() => this.#open.delete(dir));
    return opening;
  }
}
