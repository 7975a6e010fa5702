// The checksums OSS reports for a single-request upload (oss-protocol §11), computed as the bytes flow:
// ETag = `"` + upper-case hex MD5 + `"`, Content-MD5 = base64 MD5, x-oss-hash-crc64ecma = decimal CRC-64/XZ.
// The callback system variable `etag` is the same hex without quotes (§8.4) — use `etagHex`.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { Crc64Ecma } from './crc64-ecma.js';

export interface UploadDigest {
  /** Quoted upper-case hex MD5, as in the `ETag` response header. */
  readonly etag: string;
  /** Upper-case hex MD5 without quotes, as in the `${etag}` callback variable (§8.4). */
  readonly etagHex: string;
  /** Base64 of the binary MD5, as in the `Content-MD5` response header. */
  readonly contentMd5: string;
  /** Unsigned decimal CRC-64/XZ, as in `x-oss-hash-crc64ecma`. */
  readonly crc64: string;
  /** Bytes hashed. */
  readonly size: number;
}

/** MD5 + CRC-64 over a stream of chunks; `digest()` once at the end. */
export class UploadHasher {
  readonly #md5: Hash = createHash('md5');
  readonly #crc = new Crc64Ecma();
  #size = 0;
  #result: UploadDigest | undefined;

  update(chunk: Uint8Array): this {
    if (this.#result !== undefined) throw new Error('UploadHasher: update() after digest()');
    this.#md5.update(chunk);
    this.#crc.update(chunk);
    this.#size += chunk.length;
    return this;
  }

  /** Finalises the hashes. Idempotent: later calls return the same digest. */
  digest(): UploadDigest {
    if (this.#result === undefined) {
      const md5 = this.#md5.digest();
      const etagHex = md5.toString('hex').toUpperCase();
      this.#result = {
        etag: `"${etagHex}"`,
        etagHex,
        contentMd5: md5.toString('base64'),
        crc64: this.#crc.digest(),
        size: this.#size,
      };
    }
    return this.#result;
  }
}

/** Pass-through stream that hashes every byte it forwards; `digest` is set once the stream has flushed. */
export class HashingTransform extends Transform {
  readonly #hasher = new UploadHasher();
  #digest: UploadDigest | undefined;

  /** Available after 'finish'/'end'; undefined before. */
  get digest(): UploadDigest | undefined {
    return this.#digest;
  }

  // Not in object mode and decodeStrings left on, so Node hands us Buffers only (strings are converted).
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hasher.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#digest = this.#hasher.digest();
    callback();
  }
}

export function createHashingTransform(): HashingTransform {
  return new HashingTransform();
}
