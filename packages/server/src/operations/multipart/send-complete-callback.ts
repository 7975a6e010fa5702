// The upload callback of CompleteMultipartUpload (oss-protocol §8.4, §9), run after the object is
// committed, with whole-object values: size of the whole object, etag = the multipart ETag unquoted,
// contentMd5 '' (§8.4: empty for CompleteMultipartUpload), operation CompleteMultipartUpload, and
// `${imageInfo.*}` probed from the object's first bytes — read back from the store, and only when the
// template uses them (the parts streamed in long before; there is no in-flight head to keep).
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { RequestContext, ServerDeps } from '../../http/request-context.js';
import type { ObjectMeta, ObjectStore } from '../../store/object-store.js';
import type { UploadCallbackOutcome } from '../../callback/send-upload-callback.js';
import { imageProbeBytes } from '../post-object/post-form-limits.js';
import { buildUploadCallbackVars } from '../upload/build-upload-callback-vars.js';
import type { UploadCallbackRequest } from '../upload/read-upload-callback.js';
import { runUploadCallback } from '../upload/run-upload-callback.js';

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The first `imageProbeBytes` of the object just committed; empty when it is empty, gone, or already
 * replaced by another writer (its image facts would not be this upload's).
 */
export async function readObjectHead(store: ObjectStore, meta: ObjectMeta): Promise<Buffer> {
  if (meta.size === 0) return Buffer.alloc(0);
  const end = Math.min(meta.size, imageProbeBytes) - 1;
  const found = await store.read(meta.bucket, meta.key, { start: 0, end });
  if (found === undefined) return Buffer.alloc(0);
  if (found.meta.etag !== meta.etag) {
    found.body.destroy();
    return Buffer.alloc(0);
  }
  return readAll(found.body);
}

/** §9: never rejects on the target's behaviour; resolves with the relay or the 203 message. */
export async function sendCompleteCallback(
  ctx: RequestContext,
  deps: ServerDeps,
  callback: UploadCallbackRequest,
  meta: ObjectMeta,
  lookup: LookupFunction | undefined,
): Promise<UploadCallbackOutcome> {
  // The object is committed whatever happens here: a failed probe only empties ${imageInfo.*}.
  const head = callback.needsImageInfo
    ? await readObjectHead(deps.store, meta).catch((error: unknown) => {
        ctx.log.warn(
          { err: error, requestId: ctx.requestId },
          'could not read the object head for imageInfo',
        );
        return Buffer.alloc(0);
      })
    : Buffer.alloc(0);
  const vars = buildUploadCallbackVars({
    operation: 'CompleteMultipartUpload',
    bucket: meta.bucket,
    key: meta.key,
    digest: { etagHex: meta.etag.replace(/^"|"$/g, ''), size: meta.size, crc64: meta.crc64, contentMd5: '' },
    contentType: meta.contentType,
    head,
    clientIp: ctx.clientIp,
    requestId: ctx.requestId,
    customVars: callback.customVars,
  });
  return runUploadCallback(ctx, deps, { callback, vars, lookup });
}
