// One part of a large upload, with its own retries: network failures, 5xx and a retryable sign-parts
// failure are tried again with backoff (retry.ts); a URL storage refuses as expired (AccessDenied
// "Request has expired.", §10.1) is signed again; any other storage refusal ends the whole upload.
import { decodeErrorXml } from '@upcall/protocol/browser';
import type { PartTransport } from './part-transport.js';
import type { PartUrlCache } from './part-url-cache.js';
import type { PlannedPart } from './plan-parts.js';
import { readUploadResponse } from './read-upload-response.js';
import { computeRetryDelayMs, isRetryableStatus, type ResolvedRetryOptions } from './retry.js';
import type { TransportResponse } from './transport.js';
import { NetworkError, TicketError } from './upload-errors.js';
import type { UploadRejected } from './upload-result.js';

export interface PartContext {
  readonly file: Blob;
  readonly transport: PartTransport;
  readonly urls: PartUrlCache;
  readonly retry: ResolvedRetryOptions;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Bytes of this part sent so far in the current attempt. */
  readonly onPartBytes: (partNumber: number, loaded: number) => void;
  /** Counts requests sent to storage (UploadResult.attempts). */
  readonly onRequest: () => void;
  readonly context: { readonly key?: string; readonly uploadId?: string };
}

/** Storage refused a part for good (or kept answering 5xx): the upload ends with this result. */
export class PartRejectedError extends Error {
  constructor(readonly result: UploadRejected) {
    super(`Storage refused a part: ${result.code}`);
    this.name = 'PartRejectedError';
  }
}

type Attempt =
  { readonly kind: 'done'; readonly etag: string } | { readonly kind: 'retry'; readonly error: Error };

function readRejection(ctx: PartContext, response: TransportResponse): UploadRejected {
  const result = readUploadResponse(response, { attempts: 1, ...ctx.context });
  if (result.status !== 'rejected') throw new Error(`Unexpected part answer ${response.status}.`);
  return result;
}

function isExpiredUrl(response: TransportResponse): boolean {
  if (response.status !== 403) return false;
  const decoded = decodeErrorXml(response.bodyText);
  return decoded?.code === 'AccessDenied' && /expired/i.test(decoded.message);
}

function readEtag(response: TransportResponse): string {
  const etag = response.headers('etag');
  if (etag === null || etag === '') {
    throw new Error(
      'Storage stored the part but its ETag is not readable: the bucket CORS rule must expose ETag (oss-protocol §12).',
    );
  }
  return etag.replace(/^"(.*)"$/, '$1');
}

async function sendOnce(ctx: PartContext, part: PlannedPart, signal: AbortSignal): Promise<Attempt> {
  let response: TransportResponse;
  try {
    const url = await ctx.urls.get(part.partNumber);
    ctx.onRequest();
    response = await ctx.transport.put({
      url,
      body: ctx.file.slice(part.start, part.end),
      signal,
      onUploadProgress: (event) =>
        ctx.onPartBytes(part.partNumber, Math.min(event.loaded, part.end - part.start)),
    });
  } catch (error) {
    ctx.onPartBytes(part.partNumber, 0);
    if (error instanceof NetworkError || (error instanceof TicketError && error.retryable))
      return { kind: 'retry', error };
    throw error;
  }
  ctx.onPartBytes(part.partNumber, 0);
  if (response.status === 200) return { kind: 'done', etag: readEtag(response) };
  if (isExpiredUrl(response)) {
    ctx.urls.invalidate(part.partNumber);
    return { kind: 'retry', error: new NetworkError('The part URL expired before it was used.') };
  }
  const rejection = new PartRejectedError(readRejection(ctx, response));
  if (isRetryableStatus(response.status)) return { kind: 'retry', error: rejection };
  throw rejection;
}

/** Uploads one part; resolves with its ETag (unquoted). Rejects with the last error when retries run out. */
export async function sendPart(ctx: PartContext, part: PlannedPart, signal: AbortSignal): Promise<string> {
  let last: Error = new NetworkError('No response from storage.');
  for (let attempt = 1; attempt <= ctx.retry.maxAttempts; attempt++) {
    if (attempt > 1) await ctx.sleep(computeRetryDelayMs(attempt - 1, ctx.retry), signal);
    const outcome = await sendOnce(ctx, part, signal);
    if (outcome.kind === 'done') return outcome.etag;
    last = outcome.error;
  }
  throw last;
}
