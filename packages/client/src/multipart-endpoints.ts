// What uploadLargeFile asks the application server for (app-kit's createMultipartHandlers answer exactly
// these): start an upload, sign part URLs, list stored parts (resume), complete (the app adds the
// callback), abort. Implementations reject with TicketError (httpStatus, code, retryable) on refusal.

export interface StartLargeUploadRequest {
  readonly fileName: string;
  readonly size: number;
  readonly contentType: string;
  readonly signal?: AbortSignal;
}

export interface StartedLargeUpload {
  /** The app's upload (record) id: the only name the page uses for the upload. */
  readonly uploadId: string;
  readonly key?: string;
}

export interface SignedPartUrlBatch {
  readonly urls: ReadonlyArray<{ readonly partNumber: number; readonly url: string }>;
  /** When the URLs stop working (the client re-signs shortly before). */
  readonly expiresAtMs: number;
}

export interface StoredPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
}

export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** Storage's answer to CompleteMultipartUpload, relayed by the app (status, body, exposed headers). */
export interface LargeUploadCompletion {
  readonly httpStatus: number;
  readonly bodyText: string;
  readonly etag?: string;
  readonly requestId?: string;
  readonly ec?: string;
}

export interface UploadRequestRef {
  readonly uploadId: string;
  readonly signal?: AbortSignal;
}

export interface MultipartEndpoints {
  start(request: StartLargeUploadRequest): Promise<StartedLargeUpload>;
  signParts(
    request: UploadRequestRef & { readonly partNumbers: readonly number[] },
  ): Promise<SignedPartUrlBatch>;
  listParts(request: UploadRequestRef): Promise<readonly StoredPart[]>;
  complete(
    request: UploadRequestRef & { readonly parts: readonly CompletedPart[] },
  ): Promise<LargeUploadCompletion>;
  abort(request: UploadRequestRef): Promise<void>;
}
