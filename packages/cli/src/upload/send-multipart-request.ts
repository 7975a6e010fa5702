// POSTs a MultipartBody over node:http(s), streaming file parts from their Blobs with backpressure, and
// reports progress from the bytes the socket actually took (write callbacks), not from bytes queued.
// Settles once: with the response (any status), or with the first error. Storage may answer before it
// has read the whole body (an early 4xx): writing then stops and the response is what counts.
import type { Agent as HttpAgent, ClientRequest, IncomingMessage } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { request as requestHttp } from 'node:http';
import { request as requestHttps } from 'node:https';
import type { MultipartBody } from './encode-multipart-form.js';

export interface MultipartRequest {
  readonly url: URL;
  readonly body: MultipartBody;
  readonly headers: Readonly<Record<string, string>>;
  readonly agent: HttpAgent;
  /** The socket may sit idle this long (no bytes either way) before the request fails. */
  readonly idleTimeoutMs: number;
  /** Longer response bodies are cut (OSS relays callback replies of at most 1 MB, §9.6). */
  readonly maxResponseBytes: number;
  readonly onBytesWritten: (loaded: number, total: number) => void;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly bodyText: string;
}

/** Marks a failure to read the file being uploaded, which no retry over the network can cure. */
export class FileReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FileReadError';
  }
}

async function* readBlobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        // openAsBlob refuses to read a file that changed after it was opened (NotReadableError).
        const message = `Reading the file failed (was it changed during the upload?): ${String(error)}`;
        throw new FileReadError(message, { cause: error });
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.cancel().catch(() => undefined); // stops the disk reads when the upload ends early
  }
}

/** Resolves when the request can take more data, or when it is gone (then the caller stops writing). */
function waitForDrain(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

async function writeBody(
  req: ClientRequest,
  request: MultipartRequest,
  stopped: () => boolean,
): Promise<void> {
  const total = request.body.contentLength;
  let loaded = 0;
  const write = async (chunk: Uint8Array): Promise<void> => {
    // Storage refusing early answers and closes the connection (OSS does; Upcall's server too), and the
    // reset that follows makes the next write fail with EPIPE and Node drop the socket, unread answer
    // and all. Letting the event loop turn before each write handles a waiting answer first (the
    // 'response' event stops this loop), as browsers read the answer when an upload is cut off. A reset
    // that overtakes the answer can still lose it (RFC 9112 §9.6): that is a network error, retried.
    await nextTurn();
    if (stopped()) return;
    const flushed = req.write(chunk, (error) => {
      if (error) return;
      loaded += chunk.byteLength;
      request.onBytesWritten(loaded, total);
    });
    if (!flushed) await waitForDrain(req);
  };
  for (const part of request.body.parts) {
    if (stopped()) return;
    if (part instanceof Uint8Array) {
      await write(part);
      continue;
    }
    for await (const chunk of readBlobChunks(part)) {
      if (stopped()) return; // leaving the loop cancels the file read
      await write(chunk);
    }
  }
  if (!stopped()) req.end();
}

function readResponse(res: IncomingMessage, maxBytes: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    res.on('data', (chunk: Buffer) => {
      if (kept >= maxBytes) return; // keep draining so the socket is released, but stop keeping
      chunks.push(chunk.subarray(0, maxBytes - kept));
      kept += Math.min(chunk.length, maxBytes - kept);
    });
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) reject(new Error('the connection closed before the response ended'));
    });
    res.on('end', () =>
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        bodyText: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });
}

function openRequest(request: MultipartRequest): ClientRequest {
  const open = request.url.protocol === 'https:' ? requestHttps : requestHttp;
  return open(request.url, {
    method: 'POST',
    agent: request.agent,
    timeout: request.idleTimeoutMs,
    headers: {
      ...request.headers,
      'content-type': request.body.contentType,
      'content-length': String(request.body.contentLength),
    },
  });
}

/** Sends the body; `signal` destroys the request (the caller maps the error it then rejects with). */
export function sendMultipartRequest(request: MultipartRequest, signal: AbortSignal): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = openRequest(request);
    let responded = false;
    let complete = false;
    const onAbort = (): void => void req.destroy(signal.reason as Error);
    const fail = (error: unknown): void => {
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('timeout', () => req.destroy(new Error(`no bytes moved for ${request.idleTimeoutMs} ms`)));
    // Once storage has answered, its answer decides: a write error after it (the connection closing
    // under an unfinished body) is expected, and a cut-off answer fails through readResponse.
    req.on('error', (error) => void (responded || fail(error)));
    req.on('finish', () => (complete = true));
    req.on('response', (res) => {
      responded = true;
      readResponse(res, request.maxResponseBytes).then((response) => {
        signal.removeEventListener('abort', onAbort);
        if (!complete) req.destroy(); // the body was cut short: this socket must not be reused
        resolve(response);
      }, fail);
    });
    writeBody(req, request, () => responded || req.destroyed).catch(fail);
  });
}
