// The seam for multipart part uploads: one PUT of a Blob (a `file.slice()`) to a presigned UploadPart URL.
// Same contract as Transport (transport.ts): every HTTP answer resolves, NetworkError when none arrived,
// AbortError when the signal fired. The ETag of the answer must be readable — in a browser that needs the
// bucket's CORS rule to expose ETag (oss-protocol §12).
import type { TransportResponse, UploadProgressEvent } from './transport.js';

export interface PartPutRequest {
  readonly url: string;
  /** The part's bytes; its `type` is empty so no Content-Type is sent (none is signed). */
  readonly body: Blob;
  readonly onUploadProgress?: (event: UploadProgressEvent) => void;
  readonly signal: AbortSignal;
}

export interface PartTransport {
  put(request: PartPutRequest): Promise<TransportResponse>;
}
