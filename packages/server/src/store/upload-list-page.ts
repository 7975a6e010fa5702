// ListMultipartUploads paging shared by the stores: prefix and the key/upload-id markers of S3/OSS
// (oss-protocol §0.2 SDKs send `key-marker` and `upload-id-marker`), over uploads in (key, uploadId) byte
// order.
import type { MultipartUploadInfo } from './multipart-store.js';
import { compareUtf8 } from './compare-utf8.js';
import { assertMaxKeys } from './list-page.js';

export interface UploadListOptions {
  readonly prefix?: string;
  readonly keyMarker?: string;
  readonly uploadIdMarker?: string;
  readonly maxUploads: number;
}

/**
 * Whether an upload sorts after the markers: key after keyMarker, or (only when uploadIdMarker is given)
 * the same key with a later upload id. uploadIdMarker without keyMarker is ignored, as in S3.
 */
export function isAfterUploadMarkers(upload: MultipartUploadInfo, options: UploadListOptions): boolean {
  if (options.keyMarker === undefined) return true;
  const byKey = compareUtf8(upload.key, options.keyMarker);
  if (byKey !== 0 || options.uploadIdMarker === undefined) return byKey > 0;
  return compareUtf8(upload.uploadId, options.uploadIdMarker) > 0;
}

/** `ordered` holds a bucket's uploads in (key, uploadId) byte order; cuts one page. */
export function pageUploads(
  ordered: readonly MultipartUploadInfo[],
  options: UploadListOptions,
): { uploads: MultipartUploadInfo[]; isTruncated: boolean } {
  assertMaxKeys(options.maxUploads);
  const prefix = options.prefix ?? '';
  const matching = ordered.filter(
    (upload) => upload.key.startsWith(prefix) && isAfterUploadMarkers(upload, options),
  );
  return {
    uploads: matching.slice(0, options.maxUploads),
    isTruncated: matching.length > options.maxUploads,
  };
}
