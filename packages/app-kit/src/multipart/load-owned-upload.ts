// Every step after start names the upload by its record id only, and app-kit looks the rest up: the key
// and the OSS upload id come from the record, never from the browser, and the record must belong to the
// session's user and still be pending — so a page can sign, list, complete or abort nothing but its own
// open upload (threats §C6: another user's id answers like an unknown one).
import type { UploadRecord } from '../records/upload-record-store.js';
import { readMultipartAppData, type MultipartUploadInfo } from './multipart-app-data.js';
import type { MultipartUploadOptions } from './multipart-options.js';
import { MultipartRequestError } from './multipart-request-error.js';

export interface OwnedUpload {
  readonly record: UploadRecord;
  readonly info: MultipartUploadInfo;
}

/** Record ids are 16 random bytes in base64url (22 characters); anything else is not ours. */
const uploadIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export async function loadOwnedUpload(
  options: MultipartUploadOptions,
  userId: string,
  uploadId: string,
): Promise<OwnedUpload> {
  if (!uploadIdPattern.test(uploadId)) throw new MultipartRequestError('bad-request', 'Invalid upload id.');
  const record = await options.store.get(uploadId);
  const info = record === undefined ? undefined : readMultipartAppData(record.appData);
  if (record === undefined || info === undefined || record.userId !== userId || record.keyIsPrefix)
    throw new MultipartRequestError('not-found', 'No such upload.');
  if (record.bucket !== options.storage.bucket)
    throw new MultipartRequestError('not-found', 'No such upload.');
  if (record.status !== 'pending')
    throw new MultipartRequestError('not-pending', `The upload is ${record.status}, not open.`);
  return { record, info };
}
