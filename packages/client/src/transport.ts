// The one seam between the upload logic and the network. Browsers use `xhrTransport` (fetch has no
// upload progress); a Node transport (packages/cli, on node:http) or `fetchTransport` plug in the same way.
//
// Contract for implementers:
// - POST `body` (multipart/form-data; let the runtime choose the boundary) to `url`, adding `headers`.
// - Call `onUploadProgress` as request bytes leave; `total` is the whole body size, 0 if unknown.
// - Resolve with any HTTP response, whatever its status (2xx, 203, 4xx, 5xx are all answers).
// - Reject with `NetworkError` when no response arrived, with `AbortError` when `signal` fired.
//   Anything else is treated as a bug in the transport (`failed` / `unexpected`).
// - `headers(name)` returns what the runtime lets the page see: in a browser only CORS-safelisted and
//   `Access-Control-Expose-Headers` headers (oss-protocol §12), so ETag/x-oss-request-id may be null.

export interface UploadProgressEvent {
  readonly loaded: number;
  readonly total: number;
}

export interface TransportRequest {
  readonly url: string;
  readonly body: FormData;
  readonly headers?: Readonly<Record<string, string>>;
  readonly onUploadProgress?: (event: UploadProgressEvent) => void;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** A response header by case-insensitive name, or null when absent or not exposed. */
  readonly headers: (name: string) => string | null;
  readonly bodyText: string;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}
