// Streams the file into a staged object and commits it only when every check has passed
// (oss-protocol §3.9 step 13): size within range (§4.5), whole-body Content-MD5 (§3.1), then the atomic
// commit with x-oss-forbid-overwrite (§3.4). Any failure — a check, a client abort, a store error —
// aborts the staged write, so no temp file and no object remain (threats §B4, §C2.22, §C3.28–29/33).
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { OssError, checkContentLength, type PostPolicy, type UploadDigest } from '@upcall/protocol';
import type { NewObjectMeta, ObjectMeta, ObjectStore } from '../../store/object-store.js';
import { LimitAndHash } from './limit-and-hash.js';
import type { PostFormReader } from './read-post-form.js';
import { toPostFormError } from './to-post-form-error.js';

export interface StorePostFileInput {
  readonly store: ObjectStore;
  readonly meta: NewObjectMeta;
  readonly form: PostFormReader;
  readonly file: Readable;
  readonly policy: PostPolicy | undefined;
  readonly maxBytes: number;
  readonly keepHeadBytes: number;
  readonly highWaterMarkBytes: number;
  /** Content-MD5 request header, compared with the MD5 of the whole body. */
  readonly expectedBodyMd5: string | undefined;
  readonly forbidOverwrite: boolean;
  readonly log: Logger;
}

export interface StoredPostFile {
  readonly meta: ObjectMeta;
  readonly digest: UploadDigest;
  /** The file's first `keepHeadBytes` bytes. */
  readonly head: Buffer;
}

function checkFinishedUpload(
  input: StorePostFileInput,
  digest: UploadDigest,
  bodyMd5: string | undefined,
): void {
  if (input.policy !== undefined) {
    const verdict = checkContentLength(input.policy, digest.size);
    if (!verdict.ok) throw verdict.error;
  }
  if (input.expectedBodyMd5 !== undefined && bodyMd5 !== input.expectedBodyMd5)
    throw new OssError('InvalidDigest');
}

export async function storePostFile(input: StorePostFileInput): Promise<StoredPostFile> {
  const pending = await input.store.beginPut(input.meta);
  try {
    const limiter = new LimitAndHash({
      maxBytes: input.maxBytes,
      keepHeadBytes: input.keepHeadBytes,
      highWaterMarkBytes: input.highWaterMarkBytes,
    });
    await pipeline(input.file, limiter, pending.sink);
    // The rest of the form (parts after the file, closing boundary) must arrive intact too.
    const { bodyMd5Base64 } = await input.form.finished;
    const digest = limiter.digest; // set by its flush, which precedes the sink's finish
    if (digest === undefined) throw new Error('limit-and-hash finished without a digest');
    checkFinishedUpload(input, digest, bodyMd5Base64);
    const { meta } = await pending.commit(digest, { forbidOverwrite: input.forbidOverwrite });
    return { meta, digest, head: limiter.head };
  } catch (error) {
    await pending.abort().catch((abortError: unknown) => {
      input.log.error({ err: abortError }, 'could not abort a staged PostObject upload');
    });
    throw toPostFormError(error);
  }
}
