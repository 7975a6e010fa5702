// @upcall/client — browser upload client for OSS-style signed POST uploads with upload callbacks.
// Browser-safe: imports only `@upcall/protocol/browser` (ADR 0001); see docs/client.md.
export { uploadFile, type Sleep, type UploadFileOptions } from './upload-file.js';
export {
  createUploadQueue,
  type UploadItem,
  type UploadItemListener,
  type UploadItemState,
  type UploadQueue,
  type UploadQueueOptions,
} from './upload-queue.js';
export {
  isStored,
  type UploadAborted,
  type UploadConfirmed,
  type UploadFailed,
  type UploadRejected,
  type UploadResult,
  type UploadStoredUnconfirmed,
} from './upload-result.js';
export {
  findTicketField,
  parseTicket,
  type ParsedTicket,
  type Ticket,
  type TicketFields,
  type TicketRequest,
  type TicketSource,
} from './ticket.js';
export { ticketFromOfficialDemo } from './ticket-from-official-demo.js';
export { createTicketCache, isTicketReusable, type TicketCacheOptions } from './ticket-cache.js';
export { fetchTicketSource, type FetchTicketSourceOptions } from './fetch-ticket-source.js';
export type { Transport, TransportRequest, TransportResponse, UploadProgressEvent } from './transport.js';
export { xhrTransport } from './xhr-transport.js';
export { fetchTransport } from './fetch-transport.js';
export { buildUploadForm, type UploadForm, type UploadFormFile } from './build-upload-form.js';
export { readUploadResponse, type UploadContext } from './read-upload-response.js';
export {
  computeRetryDelayMs,
  isRetryableStatus,
  resolveRetryOptions,
  sleepWithSignal,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry.js';
export {
  createProgressMeter,
  type ProgressMeter,
  type ProgressMeterOptions,
  type UploadProgress,
} from './progress-meter.js';
export {
  AbortError,
  isAbortError,
  NetworkError,
  TicketError,
  type TicketErrorOptions,
} from './upload-errors.js';
export { uploadLargeFile, type LargeFileUpload, type UploadLargeFileOptions } from './upload-large-file.js';
export type {
  CompletedPart,
  LargeUploadCompletion,
  MultipartEndpoints,
  SignedPartUrlBatch,
  StartedLargeUpload,
  StartLargeUploadRequest,
  StoredPart,
  UploadRequestRef,
} from './multipart-endpoints.js';
export { fetchMultipartEndpoints, type FetchMultipartEndpointsOptions } from './fetch-multipart-endpoints.js';
export type { PartPutRequest, PartTransport } from './part-transport.js';
export { xhrPartTransport } from './xhr-part-transport.js';
export { fetchPartTransport } from './fetch-part-transport.js';
export {
  buildResumeKey,
  clearResumeState,
  readResumeState,
  type ResumeState,
  type ResumeStorage,
} from './large-upload-resume.js';
export {
  defaultPartSizeBytes,
  minPartSizeBytes,
  planParts,
  resolvePartSize,
  type PlannedPart,
} from './plan-parts.js';
