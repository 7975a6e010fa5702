// A transport on the global `fetch`: works in browsers, workers, Deno, Bun and Node ≥ 18, but fetch
// cannot observe request-body progress, so `onUploadProgress` fires once, when the response arrives.
// Useful where XHR does not exist; in a page prefer `xhrTransport` for a live progress bar.
import type { Transport, TransportRequest, TransportResponse } from './transport.js';
import { AbortError, NetworkError } from './upload-errors.js';

async function sendWithFetch(request: TransportRequest): Promise<TransportResponse> {
  if (request.signal.aborted) throw new AbortError();
  let response: Response;
  let bodyText: string;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      body: request.body,
      headers: request.headers,
      signal: request.signal,
      credentials: 'omit',
    });
    bodyText = await response.text();
  } catch (error) {
    if (request.signal.aborted) throw new AbortError(undefined, { cause: error });
    throw new NetworkError(`Upload to ${request.url} failed: ${String(error)}`, { cause: error });
  }
  request.onUploadProgress?.({ loaded: 1, total: 1 });
  return { status: response.status, headers: (name) => response.headers.get(name), bodyText };
}

/** Transport on global fetch (no live upload progress). */
export const fetchTransport: Transport = { send: sendWithFetch };
