// PostObject (oss-protocol §3): a browser form upload straight into a bucket, with the optional upload
// callback (§8, §9). The order of steps is §3.9's: nothing is stored until the form, the signature, the
// policy, the key, the callback parameter and the overwrite rule have all passed; the file is then
// streamed (never buffered) through limit-and-hash into a staged object that is committed only after
// the size and digest checks, and aborted on any failure.
import type { LookupFunction } from 'node:net';
import { OssError } from '@upcall/protocol';
import type { Operation, RequestContext, ServerDeps } from '../../http/request-context.js';
import type { BucketInfo } from '../../store/object-store.js';
import { createGuardedLookup } from '../../callback/create-guarded-lookup.js';
import { sendUploadCallback, type UploadCallbackOutcome } from '../../callback/send-upload-callback.js';
import { buildPostCallbackVars } from './build-post-callback-vars.js';
import { checkPostEnvelope } from './check-post-envelope.js';
import { defaultPostFormLimits, imageProbeBytes, type PostFormLimits } from './post-form-limits.js';
import { planPostUpload, type PostUploadPlan } from './plan-post-upload.js';
import type { PostCallbackRequest } from './read-post-callback.js';
import { readPostForm } from './read-post-form.js';
import { sendPostCallbackResult } from './send-post-callback-result.js';
import { sendPostSuccess } from './send-post-success.js';
import { setUploadResultHeaders } from './set-upload-result-headers.js';
import { storePostFile, type StoredPostFile } from './store-post-file.js';
import { StreamBufferBudget } from './stream-buffer-budget.js';

export interface PostObjectOptions {
  readonly limits?: Partial<PostFormLimits>;
  /**
   * Name resolution for callback targets, wrapped by the `public-only` guard. Defaults to dns.lookup;
   * tests inject a resolver to play DNS rebinding without real DNS.
   */
  readonly resolveCallbackHost?: LookupFunction;
}

async function readPostBucket(ctx: RequestContext, deps: ServerDeps): Promise<BucketInfo> {
  if (ctx.bucket === undefined) throw new OssError('MethodNotAllowed');
  const bucket = await deps.store.getBucket(ctx.bucket);
  if (bucket === undefined) throw new OssError('NoSuchBucket', { extra: [['BucketName', ctx.bucket]] });
  return bucket;
}

/** §9: the callback with this upload's values; never rejects on the target's behaviour. */
function runPostCallback(
  ctx: RequestContext,
  deps: ServerDeps,
  callback: PostCallbackRequest,
  stored: StoredPostFile,
  lookup: LookupFunction | undefined,
): Promise<UploadCallbackOutcome> {
  const { bucket, key, contentType } = stored.meta;
  const vars = buildPostCallbackVars({
    bucket,
    key,
    digest: stored.digest,
    contentType,
    head: stored.head,
    clientIp: ctx.clientIp,
    requestId: ctx.requestId,
    customVars: callback.customVars,
  });
  return sendUploadCallback({
    config: callback.config,
    vars,
    requestId: ctx.requestId,
    bucket,
    signingKey: deps.callbackKey,
    now: deps.now,
    timeoutMs: deps.config.callbackTimeoutMs,
    lookup,
    log: ctx.log,
  });
}

/** §3.8 / §9.6: the success response, or the callback's relay / 203. */
async function respond(
  ctx: RequestContext,
  deps: ServerDeps,
  plan: PostUploadPlan,
  stored: StoredPostFile,
  fields: ReadonlyMap<string, string>,
  lookup: LookupFunction | undefined,
): Promise<void> {
  const { digest } = stored;
  if (plan.callback === undefined) {
    setUploadResultHeaders(ctx.res, digest, ctx.requestId, deps.now() - ctx.startedMs);
    const { bucket, key } = stored.meta;
    sendPostSuccess(ctx.res, fields, { bucket, key, digest, publicEndpoint: deps.config.publicEndpoint });
    return;
  }
  const outcome = await runPostCallback(ctx, deps, plan.callback, stored, lookup);
  setUploadResultHeaders(ctx.res, digest, ctx.requestId, deps.now() - ctx.startedMs);
  sendPostCallbackResult(ctx.res, outcome, { requestId: ctx.requestId, hostId: ctx.hostId });
}

export function createPostObject(options: PostObjectOptions = {}): Operation {
  const limits: PostFormLimits = { ...defaultPostFormLimits, ...options.limits };
  const guardedLookup = createGuardedLookup(options.resolveCallbackHost);
  const buffers = new StreamBufferBudget({ roomyBytes: limits.streamHighWaterMarkBytes });
  return async (ctx, deps) => {
    const bucket = await readPostBucket(ctx, deps);
    const envelope = checkPostEnvelope(ctx.req.headers);
    // Smaller stream buffers once many uploads are in flight (stream-buffer-budget.ts, scenario 5).
    const lease = buffers.acquire();
    const streamLimits = { ...limits, streamHighWaterMarkBytes: lease.highWaterMarkBytes };
    const form = readPostForm(ctx.req, { limits: streamLimits, hashBody: envelope.contentMd5 !== undefined });
    try {
      const file = await form.file;
      const plan = await planPostUpload({ deps, bucket, envelope, form: file, limits });
      const stored = await storePostFile({
        store: deps.store,
        meta: plan.meta,
        form,
        file: file.stream,
        policy: plan.policy,
        maxBytes: plan.maxBytes,
        keepHeadBytes: plan.callback?.needsImageInfo === true ? imageProbeBytes : 0,
        highWaterMarkBytes: lease.highWaterMarkBytes,
        expectedBodyMd5: envelope.contentMd5,
        forbidOverwrite: plan.forbidOverwrite,
        log: ctx.log,
      });
      lease.release();
      const callbackLookup =
        deps.config.callbackTargets === 'public-only' ? guardedLookup : options.resolveCallbackHost;
      await respond(ctx, deps, plan, stored, file.fields, callbackLookup);
    } catch (error) {
      form.destroy();
      throw error;
    } finally {
      lease.release();
    }
  };
}

/** The PostObject operation the router mounts for `POST /` on a bucket. */
export const postObject: Operation = createPostObject();
