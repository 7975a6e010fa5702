// ListParts for the browser's resume (after a reload it cannot trust its own notes alone): app-kit pages
// through storage's ListPartsResult (≤ 1000 parts per page) with the app's key and returns the parts.
import { loadOwnedUpload, type OwnedUpload } from './load-owned-upload.js';
import { buildStorageDeps, listPartsPageSize, type MultipartUploadOptions } from './multipart-options.js';
import { MultipartRequestError } from './multipart-request-error.js';
import { parseListPartsPage, type ListedPart } from './multipart-xml.js';
import { readStorageErrorCode, refuseStorageAnswer } from './refuse-storage-answer.js';
import { sendStorageRequest } from './send-storage-request.js';

export interface UploadRef {
  readonly userId: string;
  readonly uploadId: string;
}

/** Every part storage holds for an upload app-kit has already checked, in part-number order. */
export async function readStoredParts(
  options: MultipartUploadOptions,
  owned: OwnedUpload,
): Promise<ListedPart[]> {
  const parts: ListedPart[] = [];
  let marker = 0;
  for (let page = 0; page < 11; page++) {
    const answer = await sendStorageRequest(
      options.storage,
      {
        method: 'GET',
        key: owned.record.key,
        query: [
          ['max-parts', String(listPartsPageSize)],
          ['part-number-marker', String(marker)],
          ['uploadId', owned.info.ossUploadId],
        ],
      },
      buildStorageDeps(options),
    );
    if (answer.status === 404 && readStorageErrorCode(answer) === 'NoSuchUpload')
      throw new MultipartRequestError('not-found', 'Storage no longer has this upload (aborted or expired).');
    if (answer.status !== 200) refuseStorageAnswer('ListParts', answer);
    const listing = parseListPartsPage(answer.bodyText);
    parts.push(...listing.parts);
    if (!listing.isTruncated || listing.nextPartNumberMarker <= marker) return parts;
    marker = listing.nextPartNumberMarker;
  }
  throw new Error('ListParts did not end within 10 000 parts.');
}

export async function listUploadedParts(
  options: MultipartUploadOptions,
  request: UploadRef,
): Promise<ListedPart[]> {
  const owned = await loadOwnedUpload(options, request.userId, request.uploadId);
  return readStoredParts(options, owned);
}
