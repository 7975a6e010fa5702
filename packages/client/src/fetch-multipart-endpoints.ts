// MultipartEndpoints over HTTP: POST JSON to `<base>/start`, `/sign-parts`, `/list-parts`, `/complete`,
// `/abort` (app-kit's createMultipartHandlers mounted under one base path). Same-origin cookies go along
// (the endpoints authenticate the user); refusals become TicketError with the app's `{ error }` code.
import type {
  LargeUploadCompletion,
  MultipartEndpoints,
  SignedPartUrlBatch,
  StartedLargeUpload,
  StoredPart,
} from './multipart-endpoints.js';
import { describeRefusal } from './fetch-ticket-source.js';
import { isAbortError, TicketError } from './upload-errors.js';

export interface FetchMultipartEndpointsOptions {
  /** Extra fetch options (headers, credentials) for every call. */
  readonly init?: RequestInit;
}

async function postJson(
  url: string,
  body: unknown,
  init: RequestInit,
  signal?: AbortSignal,
): Promise<unknown> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  headers.set('content-type', 'application/json');
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL(url, globalThis.location?.href), {
      ...init,
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: signal ?? init.signal ?? null,
    });
    text = await response.text();
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new TicketError(`${url} could not be reached: ${String(error)}`, { retryable: true, cause: error });
  }
  if (!response.ok) throw describeRefusal(response.status, text, url);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TicketError(`${url} answered ${response.status} with invalid JSON`, { cause: error });
  }
}

/** Endpoints at `<base>/start` … `<base>/abort`, e.g. `fetchMultipartEndpoints('/api/multipart')`. */
export function fetchMultipartEndpoints(
  base: string,
  options: FetchMultipartEndpointsOptions = {},
): MultipartEndpoints {
  const root = base.replace(/\/+$/, '');
  const init = options.init ?? {};
  const call = (path: string, body: unknown, signal?: AbortSignal): Promise<unknown> =>
    postJson(`${root}/${path}`, body, init, signal);
  return {
    start: async ({ signal, ...body }) => (await call('start', body, signal)) as StartedLargeUpload,
    signParts: async ({ signal, ...body }) => (await call('sign-parts', body, signal)) as SignedPartUrlBatch,
    listParts: async ({ signal, ...body }) =>
      ((await call('list-parts', body, signal)) as { parts: StoredPart[] }).parts,
    complete: async ({ signal, ...body }) => (await call('complete', body, signal)) as LargeUploadCompletion,
    abort: async ({ signal, ...body }) => {
      await call('abort', body, signal);
    },
  };
}
