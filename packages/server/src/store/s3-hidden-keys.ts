// Where S3ObjectStore keeps its own state inside a backend bucket (docs/scale-out.md "What is stored
// where"): everything under `.upcall/`, so a gateway instance holds no state of its own and any instance
// can continue what another began. Those keys are hidden from listings and refused as user keys, so no
// client can read or overwrite the gateway's records through the OSS API.
import { OssError } from '@upcall/protocol';
import { assertStorableKey } from './object-key.js';

export const hiddenPrefix = '.upcall/';
/** The first key after every `.upcall/…` key in byte order ('/' is 0x2F, '0' is 0x30). */
export const firstKeyAfterHidden = '.upcall0';

/** The bucket's own record: OSS name, ACL, creation time, CORS (s3-bucket-records.ts). */
export const bucketRecordKey = '.upcall/bucket.json';
/** One JSON record per in-progress OSS multipart upload (s3-upload-records.ts). */
export const uploadRecordPrefix = '.upcall/uploads/';
/** Created with `If-None-Match: *` by the one CompleteMultipartUpload allowed to proceed. */
export const claimPrefix = '.upcall/claims/';
/** Part objects of OSS multipart uploads (s3-part-keys.ts). */
export const partRoot = '.upcall/parts/';
/** Bodies too large to buffer, staged as backend multipart uploads until commit publishes them. */
export const stagingPrefix = '.upcall/staging/';

const uploadIdPattern = /^[0-9A-F]{32}$/;

export function isHiddenKey(key: string): boolean {
  return key.startsWith(hiddenPrefix);
}

/** Upload ids come from clients; only well-formed ones are ever put into a backend key. */
export function isWellFormedUploadId(uploadId: string): boolean {
  return uploadIdPattern.test(uploadId);
}

export function uploadRecordKey(uploadId: string): string {
  return `${uploadRecordPrefix}${uploadId}`;
}

export function claimKey(uploadId: string): string {
  return `${claimPrefix}${uploadId}`;
}

export function partPrefix(uploadId: string): string {
  return `${partRoot}${uploadId}/`;
}

export function stagingKey(id: string): string {
  return `${stagingPrefix}${id}`;
}

/**
 * The first 12 hex digits of ids made by newUploadId (upload-id.ts) are the creation time in ms; used to
 * expire uploads and staged bodies without reading each record. NaN for anything else.
 */
export function idTimeMs(id: string): number {
  return /^[0-9A-F]{12}/.test(id) ? parseInt(id.slice(0, 12), 16) : NaN;
}

/** assertStorableKey plus the gateway's reservation: a key under `.upcall/` is InvalidObjectName. */
export function assertUserKey(key: string): void {
  assertStorableKey(key);
  if (isHiddenKey(key)) {
    throw new OssError('InvalidObjectName', {
      message: `Object keys starting with "${hiddenPrefix}" are reserved by the storage gateway.`,
    });
  }
}
