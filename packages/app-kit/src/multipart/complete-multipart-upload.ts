// CompleteMultipartUpload with the upload callback pinned server-side: the browser sends only its part
// list; app-kit checks it against ListParts (each part present with that ETag, total size within the
// limits), then sends Complete itself with `x-oss-callback` / `x-oss-callback-var` headers it builds
// (§8.3) — the callback body carries the record id, so the ordinary callback handler confirms the record
// exactly once (§9, anchors §7.3). Storage's answer is relayed as it came: 200 with the app's reply,
// 203 CallbackFailed (stored, unconfirmed, §9.6), or an OSS error.
import { buildTicketCallbackParam, buildTicketVars } from '../tickets/build-ticket-callback.js';
import { abortStorageUpload } from './abort-multipart-upload.js';
import type { UploadRef } from './list-uploaded-parts.js';
import { readStoredParts } from './list-uploaded-parts.js';
import { loadOwnedUpload } from './load-owned-upload.js';
import { buildStorageDeps, maxPartNumber, type MultipartUploadOptions } from './multipart-options.js';
import { MultipartRequestError } from './multipart-request-error.js';
import { buildCompleteXml, unquoteEtag, type CompletePart, type ListedPart } from './multipart-xml.js';
import { sendStorageRequest } from './send-storage-request.js';

export interface CompleteMultipartRequest extends UploadRef {
  /** As the browser sent it: checked by checkCompleteParts. */
  readonly parts: readonly unknown[];
}

/** Storage's answer to Complete, for the browser to read like a POST upload's answer. */
export interface MultipartCompletion {
  readonly httpStatus: number;
  readonly bodyText: string;
  readonly etag?: string;
  readonly requestId?: string;
  readonly ec?: string;
}

/** OSS relays at most 1 MB of callback reply (§9.6); anything longer is cut for the browser. */
const maxRelayedChars = 1024 * 1024;
const etagPattern = /^[A-Za-z0-9-]{1,80}$/;

/** Ascending, unique part numbers with plausible ETags (storage checks them again, §CompleteMultipartUpload). */
export function checkCompleteParts(parts: readonly unknown[]): CompletePart[] {
  if (!Array.isArray(parts) || parts.length === 0 || parts.length > maxPartNumber)
    throw new MultipartRequestError('bad-request', `Give 1–${maxPartNumber} parts.`);
  let previous = 0;
  return parts.map((raw) => {
    const part = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const etag = typeof part.etag === 'string' ? unquoteEtag(part.etag) : '';
    const partNumber = typeof part.partNumber === 'number' ? part.partNumber : Number.NaN;
    if (!Number.isSafeInteger(partNumber) || partNumber <= previous || partNumber > maxPartNumber)
      throw new MultipartRequestError('bad-request', 'Part numbers must be ascending, unique, 1–10000.');
    if (!etagPattern.test(etag)) throw new MultipartRequestError('bad-request', 'Invalid part ETag.');
    previous = partNumber;
    return { partNumber, etag };
  });
}

/** Sum of the chosen parts' stored sizes; every chosen part must be stored with the given ETag. */
export function measureChosenParts(chosen: readonly CompletePart[], stored: readonly ListedPart[]): number {
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  let total = 0;
  for (const part of chosen) {
    const found = byNumber.get(part.partNumber);
    if (found === undefined || found.etag.toUpperCase() !== part.etag.toUpperCase())
      throw new MultipartRequestError('bad-request', `Part ${part.partNumber} is not stored with that ETag.`);
    total += found.size;
  }
  return total;
}

function buildCallbackHeaders(options: MultipartUploadOptions, recordId: string): Record<string, string> {
  const vars = buildTicketVars(recordId, options.callback.vars);
  return {
    'x-oss-callback': buildTicketCallbackParam(
      options.callback,
      vars.map(([name]) => name),
    ),
    'x-oss-callback-var': Buffer.from(JSON.stringify(Object.fromEntries(vars)), 'utf8').toString('base64'),
  };
}

function optionalHeader(name: 'etag' | 'requestId' | 'ec', value: string | null): Record<string, string> {
  return value === null || value === '' ? {} : { [name]: name === 'etag' ? unquoteEtag(value) : value };
}

export async function completeMultipartUpload(
  options: MultipartUploadOptions,
  request: CompleteMultipartRequest,
): Promise<MultipartCompletion> {
  const chosen = checkCompleteParts(request.parts);
  const owned = await loadOwnedUpload(options, request.userId, request.uploadId);
  const totalBytes = measureChosenParts(chosen, await readStoredParts(options, owned));
  if (totalBytes > options.maxSizeBytes) {
    // The browser uploaded more than it may keep: free the space now, nothing can complete this upload.
    await abortStorageUpload(options, owned.record.key, owned.info.ossUploadId);
    throw new MultipartRequestError(
      'too-large',
      `The parts add up to more than ${options.maxSizeBytes} bytes.`,
    );
  }
  if (totalBytes < (options.minSizeBytes ?? 1))
    throw new MultipartRequestError('too-small', 'The parts add up to less than the minimum size.');
  const answer = await sendStorageRequest(
    options.storage,
    {
      method: 'POST',
      key: owned.record.key,
      query: [['uploadId', owned.info.ossUploadId]],
      headers: { 'content-type': 'application/xml', ...buildCallbackHeaders(options, owned.record.id) },
      body: buildCompleteXml(chosen),
    },
    buildStorageDeps(options, options.completeTimeoutMs ?? 120_000),
  );
  return {
    httpStatus: answer.status,
    bodyText: answer.bodyText.slice(0, maxRelayedChars),
    ...optionalHeader('etag', answer.header('etag')),
    ...optionalHeader('requestId', answer.header('x-oss-request-id')),
    ...optionalHeader('ec', answer.header('x-oss-ec')),
  };
}
