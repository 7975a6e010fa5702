// The browser transport: XMLHttpRequest, because only XHR reports upload progress (architecture §5).
// No credentials are sent (OSS authenticates the form, not cookies), so the bucket's CORS rule needs
// POST and the page's origin but no Allow-Credentials (oss-protocol §12). Note: an `upload.onprogress`
// listener makes the browser send a CORS preflight (XHR spec "upload listener flag") even for a plain
// FormData POST, so storage must answer `OPTIONS` for POST from the page's origin.
// Response headers other than the CORS-safelisted ones are visible only if storage exposes them
// (ETag, x-oss-request-id: §12's recommended ExposeHeader list).
import type { Transport, TransportRequest, TransportResponse } from './transport.js';
import { AbortError, NetworkError } from './upload-errors.js';

/** One XHR: what both the form POST and the multipart part PUT (xhr-part-transport.ts) send. */
export interface XhrSend {
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly body: FormData | Blob;
  readonly headers?: Readonly<Record<string, string>>;
  readonly onUploadProgress?: TransportRequest['onUploadProgress'];
  readonly signal: AbortSignal;
}

export function sendXhr(request: XhrSend): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (typeof XMLHttpRequest === 'undefined') {
      throw new Error('XMLHttpRequest is not available here: pass a `transport` (e.g. fetchTransport).');
    }
    if (request.signal.aborted) throw new AbortError();
    const xhr = new XMLHttpRequest();
    const onAbort = (): void => xhr.abort();
    const settle = (): void => request.signal.removeEventListener('abort', onAbort);
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) =>
      request.onUploadProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    xhr.onload = () => {
      settle();
      resolve({
        status: xhr.status,
        headers: (name) => xhr.getResponseHeader(name),
        bodyText: xhr.responseText,
      });
    };
    xhr.onerror = () => {
      settle();
      // A CORS refusal looks exactly like a network failure to script (status 0, no details).
      reject(
        new NetworkError(
          `Upload to ${request.url} failed: network error or CORS refusal (oss-protocol §12).`,
        ),
      );
    };
    xhr.ontimeout = () => {
      settle();
      reject(new NetworkError(`Upload to ${request.url} timed out.`));
    };
    xhr.onabort = () => {
      settle();
      reject(new AbortError());
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    xhr.send(request.body);
  });
}

function sendWithXhr(request: TransportRequest): Promise<TransportResponse> {
  return sendXhr({ ...request, method: 'POST' });
}

/** The default transport in browsers. */
export const xhrTransport: Transport = { send: sendWithXhr };
