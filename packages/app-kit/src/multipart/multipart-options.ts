// Options of the presigned-multipart functions (docs/large-uploads.md): where storage is, where records
// live, the callback pinned into every CompleteMultipartUpload, and the limits the app enforces.
import type { UploadRecordStore } from '../records/upload-record-store.js';
import type { TicketCallbackOptions } from '../tickets/build-ticket-callback.js';
import type { MultipartStorage } from './multipart-storage.js';

export interface MultipartUploadOptions {
  readonly storage: MultipartStorage;
  readonly store: UploadRecordStore;
  /** Sent by app-kit itself with CompleteMultipartUpload (§8.3 headers): the browser never sees or sets it. */
  readonly callback: TicketCallbackOptions;
  /** Largest object a user may assemble; checked against ListParts before completing. */
  readonly maxSizeBytes: number;
  /** Default 1. */
  readonly minSizeBytes?: number;
  /** Content types the object may be created with (the browser's choice must be one); default any. */
  readonly allowedContentTypes?: readonly string[];
  /** The user's key prefix; default `uploads/<encoded user id>/` (buildUserKeyPrefix). Must end with `/`. */
  readonly keyPrefix?: (userId: string) => string;
  /** Validity of each presigned UploadPart URL (default 900 s, at most 3600). */
  readonly partUrlExpirySeconds?: number;
  /** How long the pending record stays open (default 24 h): its `expiresAtMs`. */
  readonly uploadLifetimeSeconds?: number;
  /** Most part numbers signed per request (default 100). */
  readonly maxPartsPerRequest?: number;
  /** Budget of each ListParts/Initiate/Abort request to storage (default 10 000 ms). */
  readonly storageTimeoutMs?: number;
  /** Budget of CompleteMultipartUpload: assembling plus the callback (default 120 000 ms). */
  readonly completeTimeoutMs?: number;
  readonly now?: () => number;
  readonly randomBytes?: (size: number) => Uint8Array;
  readonly fetch?: typeof fetch;
}

export const defaultPartUrlExpirySeconds = 900;
export const maxPartUrlExpirySeconds = 3600;
export const defaultUploadLifetimeSeconds = 24 * 60 * 60;
/** OSS: part numbers 1…10 000 (API reference, UploadPart). */
export const maxPartNumber = 10_000;
/** ListParts answers at most 1000 parts per page. */
export const listPartsPageSize = 1000;

export function readNowMs(options: MultipartUploadOptions): number {
  return (options.now ?? Date.now)();
}

/** Clock, budget and fetch for one request to storage. */
export function buildStorageDeps(
  options: MultipartUploadOptions,
  timeoutMs: number = options.storageTimeoutMs ?? 10_000,
): { nowMs: number; timeoutMs: number; fetch?: typeof fetch } {
  return {
    nowMs: readNowMs(options),
    timeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
}
