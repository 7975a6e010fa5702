// The single-request upload path (architecture §3): request body → limit-and-hash (MD5 + CRC-64 as the
// bytes flow, size ceiling on the running count) → a staged write, committed only once every check has
// passed: the size, the Content-MD5 (InvalidDigest, oss-protocol §11), then the store's own atomic
// commit (forbid-overwrite, bucket still there). Any failure — a check, a client abort, a store error —
// aborts the staged write, so no temp file and no object remain (threats §C4.39, §B13). Works for any
// staged target with the PendingObject shape: whole objects (PutObject, CopyObject) and parts (UploadPart).
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { OssError, type UploadDigest } from '@upcall/protocol';
import { LimitAndHash } from '../post-object/limit-and-hash.js';

export interface StagedWrite {
  readonly sink: Writable;
  abort(): Promise<void>;
}

export interface StreamIntoStagedInput<T> {
  readonly body: Readable;
  readonly staged: StagedWrite;
  /** The (max+1)-th byte fails the stream with EntityTooLarge. */
  readonly maxBytes: number;
  /** How many leading bytes to keep for `${imageInfo.*}` (0 = none). */
  readonly keepHeadBytes: number;
  readonly highWaterMarkBytes?: number;
  /** Validated `Content-MD5` header; compared with the MD5 of the whole body. */
  readonly expectedContentMd5: string | undefined;
  /** Publishes the staged write with the final checksums (e.g. `pending.commit(digest, options)`). */
  readonly commit: (digest: UploadDigest) => Promise<T>;
  readonly log: Logger;
}

export interface StreamedUpload<T> {
  readonly committed: T;
  readonly digest: UploadDigest;
  /** The body's first `keepHeadBytes` bytes. */
  readonly head: Buffer;
}

const earlyEndCodes = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET']);

/** A body cut short by the client is its error, not ours (no InternalError log line for it). */
export function toUploadStreamError(error: unknown): unknown {
  if (error instanceof OssError || !(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (error.message === 'aborted' || (code !== undefined && earlyEndCodes.has(code))) {
    return new OssError('InvalidArgument', {
      message: 'The request body ended before it was complete.',
      cause: error,
    });
  }
  return error;
}

export async function streamIntoStaged<T>(input: StreamIntoStagedInput<T>): Promise<StreamedUpload<T>> {
  try {
    const limiter = new LimitAndHash({
      maxBytes: input.maxBytes,
      keepHeadBytes: input.keepHeadBytes,
      ...(input.highWaterMarkBytes === undefined ? {} : { highWaterMarkBytes: input.highWaterMarkBytes }),
    });
    await pipeline(input.body, limiter, input.staged.sink);
    const digest = limiter.digest; // set by its flush, which precedes the sink's finish
    if (digest === undefined) throw new Error('limit-and-hash finished without a digest');
    if (input.expectedContentMd5 !== undefined && digest.contentMd5 !== input.expectedContentMd5) {
      throw new OssError('InvalidDigest');
    }
    const committed = await input.commit(digest);
    return { committed, digest, head: limiter.head };
  } catch (error) {
    await input.staged.abort().catch((abortError: unknown) => {
      input.log.error({ err: abortError }, 'could not abort a staged upload');
    });
    throw toUploadStreamError(error);
  }
}
