// CompleteMultipartUpload (`POST /<key>?uploadId=ID`). Every check runs before anything changes: the
// callback parameters (oss-protocol §8.6), the upload's existence, the part list (order, ETags, sizes);
// then the store assembles the object atomically and removes the upload (a repeated Complete is
// NoSuchUpload, threats §C5.49). With a callback (§8, §9) the object is committed first, then the
// application is called: its reply REPLACES the XML result (200, §9.6), a failure is 203 CallbackFailed
// with the object kept. ETag `"<HEX>-<n>"` and the whole-object CRC-64 are computed from the parts'
// own checksums (combineCrc64), never by re-reading the bytes.
import type { LookupFunction } from 'node:net';
import { buildMultipartEtag, combineCrc64 } from '@upcall/protocol';
import type { Operation, RequestContext, ServerDeps } from '../../http/request-context.js';
import type { ObjectMeta } from '../../store/object-store.js';
import type { PartInfo } from '../../store/multipart-store.js';
import { noSuchUpload } from '../../store/store-errors.js';
import { sendPostCallbackResult } from '../post-object/send-post-callback-result.js';
import { requireObjectAddress } from '../require-address.js';
import { readForbidOverwrite } from '../upload/read-object-meta-headers.js';
import { readUploadCallback, type UploadCallbackRequest } from '../upload/read-upload-callback.js';
import { createCallbackLookup } from '../upload/run-upload-callback.js';
import { buildCompleteResultXml, sendXml } from './build-multipart-xml.js';
import { checkCompleteParts } from './check-complete-parts.js';
import { readChosenParts, readStoredParts, type UploadRef } from './read-chosen-parts.js';
import { readUploadId, readUrlEncoding } from './read-multipart-query.js';
import { sendCompleteCallback } from './send-complete-callback.js';

export interface CompleteMultipartUploadOptions {
  /**
   * Name resolution for callback targets, wrapped by the `public-only` guard. Defaults to dns.lookup;
   * tests inject a resolver to play DNS rebinding without real DNS.
   */
  readonly resolveCallbackHost?: LookupFunction;
}

/** The multipart ETag and the CRC-64 of the concatenation, folded part by part (§11). */
export function buildCompleteChecksums(parts: readonly PartInfo[]): { etag: string; crc64: string } {
  let crc64 = '0'; // CRC-64/XZ of the empty string (§11 vectors)
  for (const part of parts) crc64 = combineCrc64(crc64, part.crc64, part.size);
  return { etag: buildMultipartEtag(parts.map((part) => part.etag)), crc64 };
}

async function assembleObject(ctx: RequestContext, deps: ServerDeps, upload: UploadRef): Promise<ObjectMeta> {
  const stored = await readStoredParts(deps.store.multipart, upload);
  const chosen = await readChosenParts(ctx.req, stored);
  const verdict = checkCompleteParts(chosen, stored);
  if (!verdict.ok) throw verdict.error;
  const checksums = buildCompleteChecksums(verdict.parts);
  const forbidOverwrite = readForbidOverwrite(ctx.req.headers);
  return deps.store.multipart.complete(upload, chosen, checksums, { forbidOverwrite });
}

/** What the request asked for, all validated before the store is touched. */
interface CompleteRequest {
  readonly upload: UploadRef;
  readonly urlEncoded: boolean;
  readonly callback: UploadCallbackRequest | undefined;
}

function readCompleteRequest(ctx: RequestContext, deps: ServerDeps): CompleteRequest {
  const { bucket, key } = requireObjectAddress(ctx);
  return {
    upload: { bucket, key, uploadId: readUploadId(ctx.query) },
    urlEncoded: readUrlEncoding(ctx.query),
    callback: readUploadCallback({
      headers: ctx.req.headers,
      query: ctx.query,
      targetPolicy: deps.config.callbackTargets,
    }),
  };
}

async function respond(
  ctx: RequestContext,
  deps: ServerDeps,
  request: CompleteRequest,
  meta: ObjectMeta,
  lookup: LookupFunction | undefined,
): Promise<void> {
  ctx.res.setHeader('ETag', meta.etag);
  ctx.res.setHeader('x-oss-hash-crc64ecma', meta.crc64);
  if (request.callback === undefined) {
    const { publicEndpoint } = deps.config;
    sendXml(ctx.res, buildCompleteResultXml({ ...meta, publicEndpoint }, request.urlEncoded));
    return;
  }
  const outcome = await sendCompleteCallback(ctx, deps, request.callback, meta, lookup);
  sendPostCallbackResult(ctx.res, outcome, { requestId: ctx.requestId, hostId: ctx.hostId });
}

export function createCompleteMultipartUpload(options: CompleteMultipartUploadOptions = {}): Operation {
  const lookupFor = createCallbackLookup(options.resolveCallbackHost);
  return async (ctx, deps) => {
    const request = readCompleteRequest(ctx, deps);
    const { bucket, key, uploadId } = request.upload;
    if ((await deps.store.multipart.getUpload(bucket, key, uploadId)) === undefined) {
      throw noSuchUpload(uploadId);
    }
    const meta = await assembleObject(ctx, deps, request.upload);
    await respond(ctx, deps, request, meta, lookupFor(deps));
  };
}

/** The operation the router mounts for `POST /<key>?uploadId=ID`. */
export const completeMultipartUpload: Operation = createCompleteMultipartUpload();
