// The upload hot path's one transform (architecture §3, perf-notes §8): MD5 + CRC-64 as the bytes flow
// (oss-protocol §11) and the size ceiling — min(content-length-range max, server max; §3.7, §4.5) —
// enforced on the running count, so the (max+1)-th byte fails the stream at once instead of after the
// remaining gigabytes (threats §C2.22). Optionally keeps the first bytes for the `${imageInfo.*}` probe.
import { Transform, type TransformCallback } from 'node:stream';
import { OssError, UploadHasher, errorConditions, type UploadDigest } from '@upcall/protocol';

export interface LimitAndHashOptions {
  readonly maxBytes: number;
  /** How many leading bytes to keep in memory (0 = none). */
  readonly keepHeadBytes: number;
  readonly highWaterMarkBytes?: number;
}

export class LimitAndHash extends Transform {
  readonly #maxBytes: number;
  readonly #keepHeadBytes: number;
  readonly #hasher = new UploadHasher();
  readonly #head: Buffer[] = [];
  #headLength = 0;
  #size = 0;
  #digest: UploadDigest | undefined;

  constructor(options: LimitAndHashOptions) {
    super({ highWaterMark: options.highWaterMarkBytes });
    this.#maxBytes = options.maxBytes;
    this.#keepHeadBytes = options.keepHeadBytes;
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
    this.#hasher.update(chunk);
    if (this.#headLength < this.#keepHeadBytes) {
      // Copy: the chunk may be a view into a parser buffer that is reused.
      const take = Buffer.from(chunk.subarray(0, this.#keepHeadBytes - this.#headLength));
      this.#head.push(take);
      this.#headLength += take.length;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#digest = this.#hasher.digest();
    callback();
  }
}
