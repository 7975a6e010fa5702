// Presigned multipart uploads (docs/large-uploads.md, docs/adr/0010): the app server starts, signs,
// lists, completes (with the callback pinned server-side) and aborts; the browser PUTs the parts.
export type { MultipartStorage } from './multipart-storage.js';
export {
  defaultPartUrlExpirySeconds,
  defaultUploadLifetimeSeconds,
  maxPartUrlExpirySeconds,
  type MultipartUploadOptions,
} from './multipart-options.js';
export {
  MultipartRequestError,
  isMultipartRequestError,
  type MultipartRefusal,
} from './multipart-request-error.js';
export {
  readMultipartAppData,
  multipartAppDataMember,
  type MultipartUploadInfo,
} from './multipart-app-data.js';
export {
  startMultipartUpload,
  type StartedMultipartUpload,
  type StartMultipartRequest,
} from './start-multipart-upload.js';
export {
  signUploadPartUrls,
  type SignedPartUrl,
  type SignedPartUrls,
  type SignPartsRequest,
} from './sign-upload-part-urls.js';
export { listUploadedParts, type UploadRef } from './list-uploaded-parts.js';
export {
  completeMultipartUpload,
  type CompleteMultipartRequest,
  type MultipartCompletion,
} from './complete-multipart-upload.js';
export { abortMultipartUpload } from './abort-multipart-upload.js';
export type { CompletePart, ListedPart } from './multipart-xml.js';
export { StorageUnreachableError } from './send-storage-request.js';
