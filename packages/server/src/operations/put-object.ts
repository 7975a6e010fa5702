// PutObject (oss-protocol §8.3, §11): the request body streamed — never buffered — through the same
// limit-and-hash transform as PostObject into a staged object, committed only after the size and
// Content-MD5 checks, atomically (a concurrent reader sees the old object or the new one, never a mix:
// threats §C4.39). Everything that can be refused is refused before a byte is stored: framing and size,
// object properties, the callback parameters, and x-oss-forbid-overwrite (re-checked atomically at
// commit). With a callback, the application's reply is relayed, or 203 CallbackFailed (§9.6).
import type { LookupFunction } from 'node:net';
import { OssError } from '@upcall/protocol';
import type { Operation, RequestContext, ServerDeps } from '../http/request-context.js';
import type { NewObjectMeta } from '../store/object-store.js';
import { defaultPostFormLimits, imageProbeBytes } from './post-object/post-form-limits.js';
import { requireObjectAddress } from './require-address.js';
import { buildUploadCallbackVars } from './upload/build-upload-callback-vars.js';
import { checkUploadLength } from './upload/check-upload-length.js';
import { readContentMd5 } from './upload/read-content-md5.js';
import { readForbidOverwrite, readObjectMetaHeaders } from './upload/read-object-meta-headers.js';
import { readUploadCallback, type UploadCallbackRequest } from './upload/read-upload-callback.js';
import { createCallbackLookup, runUploadCallback, sendUploadResult } from './upload/run-upload-callback.js';
import { streamIntoStaged } from './upload/stream-into-staged.js';

export interface PutObjectOptions {
  /** Name resolution for callback targets (wrapped by the `public-only` guard); tests inject DNS. */
  readonly resolveCallbackHost?: LookupFunction;
  /** Buffer size of the body → hash → store chain (default: PostObject's, perf-notes §6b). */
  readonly highWaterMarkBytes?: number;
}

interface PutPlan {
  readonly meta: NewObjectMeta;
  readonly expectedContentMd5: string | undefined;
  readonly forbidOverwrite: boolean;
  readonly callback: UploadCallbackRequest | undefined;
}

/** Every check that needs no body byte (§8.6: callback errors come before storing). */
async function planPut(ctx: RequestContext, deps: ServerDeps): Promise<PutPlan> {
  const { bucket, key } = requireObjectAddress(ctx);
  const { headers } = ctx.req;
  checkUploadLength(headers, deps.config.maxObjectBytes);
  const meta = readObjectMetaHeaders(headers, { bucket, key });
  const expectedContentMd5 = readContentMd5(headers);
  const forbidOverwrite = readForbidOverwrite(headers);
  const callback = readUploadCallback({
    headers,
    query: ctx.query,
    targetPolicy: deps.config.callbackTargets,
  });
  // Cheap early answer; the commit re-checks atomically (store contract).
  if (forbidOverwrite && (await deps.store.head(bucket, key)) !== undefined) {
    throw new OssError('FileAlreadyExists');
  }
  return { meta, expectedContentMd5, forbidOverwrite, callback };
}

export function createPutObject(options: PutObjectOptions = {}): Operation {
  const lookupFor = createCallbackLookup(options.resolveCallbackHost);
  const highWaterMarkBytes = options.highWaterMarkBytes ?? defaultPostFormLimits.streamHighWaterMarkBytes;
  return async (ctx, deps) => {
    const plan = await planPut(ctx, deps);
    const pending = await deps.store.beginPut(plan.meta);
    const stored = await streamIntoStaged({
      body: ctx.req,
      staged: pending,
      maxBytes: deps.config.maxObjectBytes,
      keepHeadBytes: plan.callback?.needsImageInfo === true ? imageProbeBytes : 0,
      highWaterMarkBytes,
      expectedContentMd5: plan.expectedContentMd5,
      commit: (digest) => pending.commit(digest, { forbidOverwrite: plan.forbidOverwrite }),
      log: ctx.log,
    });
    const { callback } = plan;
    if (callback === undefined) return sendUploadResult(ctx, deps, stored.digest, undefined);
    const { meta } = stored.committed;
    const vars = buildUploadCallbackVars({
      operation: 'PutObject',
      bucket: meta.bucket,
      key: meta.key,
      digest: stored.digest,
      contentType: meta.contentType,
      head: stored.head,
      clientIp: ctx.clientIp,
      requestId: ctx.requestId,
      customVars: callback.customVars,
    });
    const outcome = await runUploadCallback(ctx, deps, { callback, vars, lookup: lookupFor(deps) });
    sendUploadResult(ctx, deps, stored.digest, outcome);
  };
}

/** The PutObject operation the router mounts for `PUT /<key>` without `x-oss-copy-source`. */
export const putObject: Operation = createPutObject();
