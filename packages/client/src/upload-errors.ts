// Typed failures of the upload flow. Transports reject with NetworkError or AbortError only (anything
// else is a bug in the transport and is reported as `failed: unexpected`); ticket sources reject with
// TicketError so the uploader can tell "the app refused a ticket" from "storage refused the file".

/** The request never produced an HTTP response: DNS, TCP reset, offline, or a CORS refusal (§12). */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** The caller's AbortSignal fired. Named like the DOM's, so `error.name === 'AbortError'` checks work. */
export class AbortError extends Error {
  constructor(message = 'The upload was aborted.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

export interface TicketErrorOptions {
  /** HTTP status of the ticket endpoint's reply, when there was one. */
  readonly httpStatus?: number;
  /** The app's machine-readable reason (app-kit replies `{ error, message }`). */
  readonly code?: string;
  /** Worth asking again: network failures and 5xx. A 4xx (401, 403, 413…) will not change on retry. */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/** Getting or reading the upload ticket failed. */
export class TicketError extends Error {
  readonly httpStatus: number | undefined;
  readonly code: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: TicketErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TicketError';
    this.httpStatus = options.httpStatus;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
  }
}

/** True for our AbortError and for the DOMException that fetch/XHR raise on abort. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
