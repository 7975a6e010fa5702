// Multipart upload operations (OSS InitiateMultipartUpload, UploadPart, CompleteMultipartUpload with the
// upload callback of oss-protocol §8–§9, AbortMultipartUpload, ListParts, ListMultipartUploads) and the
// expiry of abandoned uploads.
export { initiateMultipartUpload } from './initiate-multipart-upload.js';
export { uploadPart, maxPartBytes } from './upload-part.js';
export {
  completeMultipartUpload,
  createCompleteMultipartUpload,
  type CompleteMultipartUploadOptions,
} from './complete-multipart-upload.js';
export { abortMultipartUpload } from './abort-multipart-upload.js';
export { listParts } from './list-parts.js';
export { listMultipartUploads } from './list-multipart-uploads.js';
export {
  startMultipartExpiry,
  defaultMultipartMaxAgeMs,
  defaultMultipartExpiryIntervalMs,
  type MultipartExpiryOptions,
  type StopMultipartExpiry,
} from './start-multipart-expiry.js';
