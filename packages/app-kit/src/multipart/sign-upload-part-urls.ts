// Presigned UploadPart URLs (V4, oss-protocol §7.3) for the browser: PUT, the record's key, and the
// query `partNumber=N&uploadId=<OSS id>` inside the signed canonical query — so each URL uploads that
// one part of that one upload and nothing else, for a short time. No Content-Type is signed: the
// browser PUTs `file.slice()` blobs, which carry no type.
import { presignUrlV4 } from '@upcall/protocol';
import { loadOwnedUpload } from './load-owned-upload.js';
import {
  defaultPartUrlExpirySeconds,
  maxPartNumber,
  maxPartUrlExpirySeconds,
  readNowMs,
  type MultipartUploadOptions,
} from './multipart-options.js';
import { MultipartRequestError } from './multipart-request-error.js';

export interface SignPartsRequest {
  readonly userId: string;
  readonly uploadId: string;
  readonly partNumbers: readonly number[];
}

export interface SignedPartUrl {
  readonly partNumber: number;
  readonly url: string;
}

export interface SignedPartUrls {
  readonly urls: SignedPartUrl[];
  readonly expiresAtMs: number;
}

export function checkPartNumbers(partNumbers: readonly number[], maxCount: number): void {
  if (!Array.isArray(partNumbers) || partNumbers.length === 0 || partNumbers.length > maxCount)
    throw new MultipartRequestError('bad-request', `Ask for 1–${maxCount} part numbers at a time.`);
  for (const n of partNumbers) {
    if (!Number.isSafeInteger(n) || n < 1 || n > maxPartNumber)
      throw new MultipartRequestError('bad-request', `Part numbers are whole numbers 1–${maxPartNumber}.`);
  }
}

function resolveExpirySeconds(options: MultipartUploadOptions): number {
  const seconds = options.partUrlExpirySeconds ?? defaultPartUrlExpirySeconds;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > maxPartUrlExpirySeconds)
    throw new RangeError(`partUrlExpirySeconds must be 1–${maxPartUrlExpirySeconds}.`);
  return seconds;
}

export async function signUploadPartUrls(
  options: MultipartUploadOptions,
  request: SignPartsRequest,
): Promise<SignedPartUrls> {
  checkPartNumbers(request.partNumbers, options.maxPartsPerRequest ?? 100);
  const expiresSeconds = resolveExpirySeconds(options);
  const { record, info } = await loadOwnedUpload(options, request.userId, request.uploadId);
  const { storage } = options;
  const { accessKeyId, accessKeySecret, securityToken } = storage.credentials;
  const nowMs = readNowMs(options);
  const urls = [...new Set(request.partNumbers)].map((partNumber) => ({
    partNumber,
    url: presignUrlV4({
      method: 'PUT',
      bucket: storage.bucket,
      key: record.key,
      query: [
        ['partNumber', String(partNumber)],
        ['uploadId', info.ossUploadId],
      ],
      region: storage.region,
      accessKeyId,
      secret: accessKeySecret,
      ...(securityToken === undefined ? {} : { securityToken }),
      origin: storage.endpoint,
      pathStyle: storage.pathStyle === true,
      nowMs,
      expiresSeconds,
    }).url,
  }));
  return { urls, expiresAtMs: nowMs + expiresSeconds * 1000 };
}
