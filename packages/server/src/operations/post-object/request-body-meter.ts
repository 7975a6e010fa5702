// Sits between the raw request and the multipart parser. It enforces the cap on bytes before the file
// part (`MaxPOSTPreDataLengthExceeded`, oss-protocol §3.7/§10.2; threats §C3.31) and, when the request
// carries a Content-MD5 header, hashes the ENTIRE body: for PostObject that header covers every form
// field, not just the file (§3.1, D10). The MD5 pass is skipped otherwise (MD5 is the per-stream
// ceiling, perf-notes §3b).
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { OssError } from '@upcall/protocol';

export interface RequestBodyMeterOptions {
  readonly maxPreFileBytes: number;
  readonly hashBody: boolean;
  readonly highWaterMarkBytes: number;
  /** Whether the parser has reached the file part (asked before each chunk is passed on). */
  readonly isFileStarted: () => boolean;
}

export class RequestBodyMeter extends Transform {
  readonly #options: RequestBodyMeterOptions;
  readonly #md5: Hash | undefined;
  #bytes = 0;
  #bodyMd5Base64: string | undefined;

  constructor(options: RequestBodyMeterOptions) {
    super({ highWaterMark: options.highWaterMarkBytes });
    this.#options = options;
    this.#md5 = options.hashBody ? createHash('md5') : undefined;
  }

  /** Base64 MD5 of the whole body; set once the body has ended (undefined when not hashing). */
  get bodyMd5Base64(): string | undefined {
    return this.#bodyMd5Base64;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // Judged on the bytes already passed on, so a chunk that carries the file's first bytes is not
    // counted against the fields: the cap is exact to within one chunk.
    if (!this.#options.isFileStarted() && this.#bytes > this.#options.maxPreFileBytes) {
      callback(new OssError('MaxPOSTPreDataLengthExceeded'));
      return;
    }
    this.#bytes += chunk.length;
    this.#md5?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#bodyMd5Base64 = this.#md5?.digest('base64');
    callback();
  }
}
