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
