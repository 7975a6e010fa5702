// Watches the raw request body beside the multipart parser. It enforces the cap on bytes before the file
// part (`MaxPOSTPreDataLengthExceeded`, oss-protocol §3.7/§10.2; threats §C3.31) and, when the request
// carries a Content-MD5 header, hashes the ENTIRE body: for PostObject that header covers every form
// field, not just the file (§3.1, D10). The MD5 pass is skipped otherwise (MD5 is the per-stream
// ceiling, perf-notes §3b).
//
// Why a 'data' listener and not a Transform between the request and the parser: an extra stream stage
// buffers the socket's chunks in its readable side while the parser catches up, long enough for them to
// be promoted out of V8's young generation; each 1 GiB upload then cost ~60 full (mark-compact)
// collections and ~1.3 CPU-s of GC across the main and helper threads, against none with the request
// piped straight into the parser (docs/benchmarks.md, scenario 1). A listener sees the same chunks, in
// the same order, right after `pipe` has handed each to the parser, and holds none of them.
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { OssError } from '@upcall/protocol';

export interface RequestBodyMeterOptions {
  readonly maxPreFileBytes: number;
  readonly hashBody: boolean;
  /** Whether the parser has reached the file part (asked after each chunk was parsed). */
  readonly isFileStarted: () => boolean;
  /** Called once when the bytes before the file part exceed the cap. */
  readonly onTooMuchBeforeFile: (error: OssError) => void;
}

export class RequestBodyMeter {
  readonly #options: RequestBodyMeterOptions;
  readonly #md5: Hash | undefined;
  #bytes = 0;
  #refused = false;
  #bodyMd5Base64: string | undefined;

  constructor(options: RequestBodyMeterOptions) {
    this.#options = options;
    this.#md5 = options.hashBody ? createHash('md5') : undefined;
  }

  /**
   * Starts watching `body`; call after `body.pipe(parser)`, so each chunk reaches the parser first and
   * `isFileStarted` already reflects it.
   */
  watch(body: Readable): void {
    body.on('data', this.#onData);
    body.once('end', this.#onEnd);
  }

  /** Stops watching (the request is being torn down). */
  unwatch(body: Readable): void {
    body.off('data', this.#onData);
    body.off('end', this.#onEnd);
  }

  /** Base64 MD5 of the whole body; set once the body has ended (undefined when not hashing). */
  get bodyMd5Base64(): string | undefined {
    return this.#bodyMd5Base64;
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#bytes += chunk.length;
    this.#md5?.update(chunk);
    // Judged after the parser has seen the chunk, so a chunk that carries the file's first bytes does
    // not count against the fields: the cap is exact to within one chunk.
    if (this.#refused || this.#options.isFileStarted()) return;
    if (this.#bytes > this.#options.maxPreFileBytes) {
      this.#refused = true;
      this.#options.onTooMuchBeforeFile(new OssError('MaxPOSTPreDataLengthExceeded'));
    }
  };

  readonly #onEnd = (): void => {
    this.#bodyMd5Base64 = this.#md5?.digest('base64');
  };
}
