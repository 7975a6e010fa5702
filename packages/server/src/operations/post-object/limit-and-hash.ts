// The upload hot path's one transform (architecture §3, perf-notes §8): MD5 + CRC-64 as the bytes flow
// (oss-protocol §11) and the size ceiling — min(content-length-range max, server max; §3.7, §4.5) —
// enforced on the running count, so the (max+1)-th byte fails the stream at once instead of after the
// remaining gigabytes (threats §C2.22). Optionally keeps the first bytes for the `${imageInfo.*}` probe.
//
// Where the hashing runs (perf-notes §6b): the first `offloadMinBytes` are only held (the chunks are
// passed on at once, and busboy's chunks are never reused). A file that ends within them is hashed on
// the main thread at flush — small uploads pay no thread hop. Past that, the held chunks and all later
// ones go to the shared hash worker (hash-worker-pool.ts: one copy per chunk into shared memory, bounded
// slots as backpressure), which frees the main thread for receiving, parsing and writing.
import { Transform, type TransformCallback } from 'node:stream';
import { OssError, UploadHasher, errorConditions, type UploadDigest } from '@upcall/protocol';
import { uploadGcPacer } from '../../young-gc-pacer.js';
import { readSharedHashWorkerPool, type HashJob } from './hash-worker-pool.js';

export interface LimitAndHashOptions {
  readonly maxBytes: number;
  /** How many leading bytes to keep in memory (0 = none). */
  readonly keepHeadBytes: number;
  readonly highWaterMarkBytes?: number;
  /** Files larger than this are hashed on the worker thread (default 256 KiB: one stream buffer; Infinity = never). */
  readonly offloadMinBytes?: number;
}

export const defaultOffloadMinBytes = 256 * 1024;

export class LimitAndHash extends Transform {
  readonly #maxBytes: number;
  readonly #keepHeadBytes: number;
  readonly #offloadMinBytes: number;
  readonly #head: Buffer[] = [];
  #held: Buffer[] = [];
  #hasher: UploadHasher | undefined; // main-thread hashing (fallback when no worker can start)
  #job: HashJob | undefined;
  #headLength = 0;
  #size = 0;
  #digest: UploadDigest | undefined;

  constructor(options: LimitAndHashOptions) {
    super({ highWaterMark: options.highWaterMarkBytes });
    this.#maxBytes = options.maxBytes;
    this.#keepHeadBytes = options.keepHeadBytes;
    this.#offloadMinBytes = options.offloadMinBytes ?? defaultOffloadMinBytes;
  }

  /** Checksums of everything that passed; set once the stream has flushed. */
  get digest(): UploadDigest | undefined {
    return this.#digest;
  }

  /** The first `keepHeadBytes` bytes of the content (fewer if the content is shorter). */
  get head(): Buffer {
    return Buffer.concat(this.#head, this.#headLength);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#maxBytes) {
      callback(new OssError('EntityTooLarge', { ec: errorConditions.entityTooLarge }));
      return;
    }
    uploadGcPacer.note(chunk.length); // frees spent chunks young (young-gc-pacer.ts)
    this.#keepHead(chunk);
    this.push(chunk);
    const wait = this.#hash(chunk);
    if (wait === undefined) callback();
    else wait.then(() => callback(), callback);
  }

  #keepHead(chunk: Buffer): void {
    if (this.#headLength >= this.#keepHeadBytes) return;
    // Copy: the head outlives the chunk's trip through the pipeline.
    const take = Buffer.from(chunk.subarray(0, this.#keepHeadBytes - this.#headLength));
    this.#head.push(take);
    this.#headLength += take.length;
  }

  #hash(chunk: Buffer): Promise<void> | undefined {
    if (this.#job !== undefined) return this.#job.update(chunk);
    if (this.#hasher !== undefined) {
      this.#hasher.update(chunk);
      return undefined;
    }
    this.#held.push(chunk);
    if (this.#size <= this.#offloadMinBytes) return undefined;
    return this.#startOffload();
  }

  /** Moves the held chunks to a worker job, or to the main-thread hasher if no worker is available. */
  #startOffload(): Promise<void> | undefined {
    const held = this.#held;
    this.#held = [];
    const pool = readSharedHashWorkerPool();
    if (pool === undefined) {
      this.#hasher = new UploadHasher();
      for (const chunk of held) this.#hasher.update(chunk);
      return undefined;
    }
    const job = pool.openJob();
    this.#job = job;
    // Strictly in order: once one update has to wait, the rest are chained behind it.
    let wait: Promise<void> | undefined;
    for (const chunk of held) {
      wait = wait === undefined ? job.update(chunk) : wait.then(() => job.update(chunk));
    }
    return wait;
  }

  override _flush(callback: TransformCallback): void {
    if (this.#job !== undefined) {
      this.#job.digest().then((digest) => {
        this.#job = undefined;
        this.#digest = digest;
        callback();
      }, callback);
      return;
    }
    const hasher = this.#hasher ?? new UploadHasher();
    for (const chunk of this.#held) hasher.update(chunk);
    this.#held = [];
    this.#digest = hasher.digest();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#job?.drop();
    this.#job = undefined;
    this.#held = [];
    callback(error);
  }
}
