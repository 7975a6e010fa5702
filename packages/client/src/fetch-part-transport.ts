// Part PUTs over the global fetch (Node ≥ 18, workers, Deno, Bun): no live progress, so each part reports
// its whole size once, when storage has answered. In a page prefer xhrPartTransport.
import type { PartTransport, PartPutRequest } from './part-transport.js';
import type { TransportResponse } from './transport.js';
import { AbortError, NetworkError } from './upload-errors.js';

async function putWithFetch(request: PartPutRequest): Promise<TransportResponse> {
  if (request.signal.aborted) throw new AbortError();
  let response: Response;
  let bodyText: string;
  try {
    response = await fetch(request.url, {
      method: 'PUT',
      body: request.body,
      signal: request.signal,
      credentials: 'omit',
    });
    bodyText = await response.text();
  } catch (error) {
    if (request.signal.aborted) throw new AbortError(undefined, { cause: error });
    throw new NetworkError(`Part upload to ${new URL(request.url).origin} failed: ${String(error)}`, {
      cause: error,
    });
  }
  request.onUploadProgress?.({ loaded: request.body.size, total: request.body.size });
  return { status: response.status, headers: (name) => response.headers.get(name), bodyText };
}

export const fetchPartTransport: PartTransport = { put: putWithFetch };
