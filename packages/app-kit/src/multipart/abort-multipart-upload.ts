// AbortMultipartUpload for a user's own open upload: storage drops the parts (a cancelled upload must
// not keep gigabytes around). The record stays pending and expires on its own (the record store has no
// "cancelled" state; reconciliation marks it expired after `uploadLifetimeSeconds`).
import { loadOwnedUpload } from './load-owned-upload.js';
import type { UploadRef } from './list-uploaded-parts.js';
import { buildStorageDeps, type MultipartUploadOptions } from './multipart-options.js';
import { readStorageErrorCode, refuseStorageAnswer } from './refuse-storage-answer.js';
import { sendStorageRequest } from './send-storage-request.js';

export async function abortStorageUpload(
  options: MultipartUploadOptions,
  key: string,
  ossUploadId: string,
): Promise<void> {
  const answer = await sendStorageRequest(
    options.storage,
    { method: 'DELETE', key, query: [['uploadId', ossUploadId]] },
    buildStorageDeps(options),
  );
  // Already gone is what the caller wanted.
  if (answer.status === 204 || answer.status === 200) return;
  if (answer.status === 404 && readStorageErrorCode(answer) === 'NoSuchUpload') return;
  refuseStorageAnswer('AbortMultipartUpload', answer);
}

export async function abortMultipartUpload(
  options: MultipartUploadOptions,
  request: UploadRef,
): Promise<void> {
  const { record, info } = await loadOwnedUpload(options, request.userId, request.uploadId);
  await abortStorageUpload(options, record.key, info.ossUploadId);
}
