// Upload ids for InitiateMultipartUpload: 32 upper-case hex characters like OSS's. The first 12 are the
// initiation time in ms, so ListMultipartUploads' (key, uploadId) order is initiation order for a key
// (as OSS lists them); the other 20 are random, so an id cannot be guessed from the time alone.
import { randomBytes } from 'node:crypto';

export function newUploadId(nowMs: number): string {
  const time = Math.max(0, Math.trunc(nowMs)).toString(16).padStart(12, '0').slice(-12);
  return `${time}${randomBytes(10).toString('hex')}`.toUpperCase();
}
