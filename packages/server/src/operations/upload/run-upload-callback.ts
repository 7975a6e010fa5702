// Runs the upload callback of a stored object (oss-protocol §9) with the server's signing key, timeout
// and target policy, and answers the uploader: the application's reply relayed with 200, or 203
// CallbackFailed with the object kept (§9.6). Shared by PutObject and CompleteMultipartUpload.
import type { LookupFunction } from 'node:net';
import type { CallbackVars, UploadDigest } from '@upcall/protocol';
import type { RequestContext, ServerDeps } from '../../http/request-context.js';
import { createGuardedLookup } from '../../callback/create-guarded-lookup.js';
import { sendUploadCallback, type UploadCallbackOutcome } from '../../callback/send-upload-callback.js';
import { sendPostCallbackResult } from '../post-object/send-post-callback-result.js';
import { setUploadResultHeaders } from '../post-object/set-upload-result-headers.js';
import type { UploadCallbackRequest } from './read-upload-callback.js';

/**
 * The name resolution callbacks dial with: under `public-only` every answer is checked on the address
 * actually dialled (DNS rebinding, threats §B5); `resolve` lets tests inject DNS.
 */
export function createCallbackLookup(
  resolve?: LookupFunction,
): (deps: ServerDeps) => LookupFunction | undefined {
  const guarded = createGuardedLookup(resolve);
  return (deps) => (deps.config.callbackTargets === 'public-only' ? guarded : resolve);
}

/** §9: POSTs the rendered, signed body to each callbackUrl in turn; never rejects on the target. */
export function runUploadCallback(
  ctx: RequestContext,
  deps: ServerDeps,
  input: { callback: UploadCallbackRequest; vars: CallbackVars; lookup: LookupFunction | undefined },
): Promise<UploadCallbackOutcome> {
  return sendUploadCallback({
    config: input.callback.config,
    vars: input.vars,
    requestId: ctx.requestId,
    bucket: input.vars.system.bucket,
    signingKey: deps.callbackKey,
    now: deps.now,
    timeoutMs: deps.config.callbackTimeoutMs,
    lookup: input.lookup,
    log: ctx.log,
  });
}

/**
 * The answer to a single-request upload (§11): 200 with ETag, x-oss-hash-crc64ecma, Content-MD5 and
 * an empty body — or, after a callback, its relayed reply / 203 with the same upload headers (§9.6).
 */
export function sendUploadResult(
  ctx: RequestContext,
  deps: ServerDeps,
  digest: UploadDigest,
  outcome: UploadCallbackOutcome | undefined,
): void {
  setUploadResultHeaders(ctx.res, digest, ctx.requestId, deps.now() - ctx.startedMs);
  if (outcome !== undefined) {
    sendPostCallbackResult(ctx.res, outcome, { requestId: ctx.requestId, hostId: ctx.hostId });
    return;
  }
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Length', '0');
  ctx.res.end();
}
