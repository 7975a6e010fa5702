// A staged write of MemoryObjectStore (objects and parts alike): chunks are copied into memory and handed
// to `publish` at commit, which decides where they go. Same promises as FsPendingObject: nothing visible
// before commit, the size checked, abort safe at any time and a no-op after a settled commit.
import { Writable } from 'node:stream';
import { OssError } from '@upcall/protocol';
import type { Checksums } from './object-meta.js';
import { awaitEndedSink, destroyAndWaitForClose, keepSinkErrorForCommit } from './sink-closing.js';

type State = 'writing' | 'committing' | 'committed' | 'aborted';

/** Stores the body; throws (e.g. FileAlreadyExists, NoSuchUpload) to refuse it. */
export type MemoryPublish<T> = (body: Buffer, checksums: Checksums, forbidOverwrite: boolean) => T;

export class MemoryPendingWrite<T> {
  readonly sink: Writable;
  readonly #chunks: Buffer[] = [];
  readonly #publish: MemoryPublish<T>;
  #state: State = 'writing';
  #settling: Promise<unknown> = Promise.resolve();

  constructor(publish: MemoryPublish<T>) {
    this.#publish = publish;
    this.sink = new Writable({
      // Completes on a later turn, like real I/O, so writers see ordinary backpressure.
      write: (chunk: Buffer, _encoding, callback) => {
        this.#chunks.push(Buffer.from(chunk)); // the producer may reuse its buffer
        setImmediate(callback);
      },
    });
    keepSinkErrorForCommit(this.sink);
  }

  commit(checksums: Checksums, options: { forbidOverwrite?: boolean } = {}): Promise<T> {
    if (this.#state !== 'writing') return Promise.reject(new Error(`commit() after ${this.#state}`));
    this.#state = 'committing';
    const work = this.#finish(checksums, options.forbidOverwrite === true);
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

  async #finish(checksums: Checksums, forbidOverwrite: boolean): Promise<T> {
    try {
      await awaitEndedSink(this.sink);
      const body = Buffer.concat(this.#chunks);
      if (body.length !== checksums.size) {
        throw new OssError('InternalError', {
          cause: new Error(`received ${body.length} bytes, expected ${checksums.size}`),
        });
      }
      return this.#publish(body, checksums, forbidOverwrite);
    } finally {
      this.#chunks.length = 0;
      await destroyAndWaitForClose(this.sink);
    }
  }
}
