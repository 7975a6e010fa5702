// A Transport for @upcall/client on node:http/node:https (the client's browser transports are XHR and
// fetch; fetch cannot report upload progress). It honours the Transport contract in
// packages/client/src/transport.ts: every HTTP answer resolves, NetworkError when none arrived,
// AbortError when the signal fired. The FormData the client builds is encoded here without reading
// file contents (encode-multipart-form.ts), so a disk-backed File streams from disk.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AbortError, NetworkError, type Transport, type TransportResponse } from '@upcall/client';
import { createMultipartBoundary, encodeMultipartForm } from './encode-multipart-form.js';
import { FileReadError, sendMultipartRequest, type RawResponse } from './send-multipart-request.js';

export interface NodeHttpTransportOptions {
  /** Resolves a ticket `host` that is a path (the browser resolves it against the page; here: the ticket URL). */
  readonly baseUrl?: string;
  /** No byte moving either way for this long fails the attempt as a network error (default 120 000 ms). */
  readonly idleTimeoutMs?: number;
  /** Response bodies are cut at this length (default 4 MiB; OSS relays at most 1 MB, §9.6). */
  readonly maxResponseBytes?: number;
  /** Default `upcall-cli`. */
  readonly userAgent?: string;
  /** Default: 96 random bits (tests may fix it). */
  readonly createBoundary?: () => string;
}

export interface NodeHttpTransport extends Transport {
  /** Closes idle keep-alive sockets so the process can exit. */
  close(): void;
}

function resolveTarget(url: string, baseUrl: string | undefined): URL {
  let target: URL;
  try {
    target = new URL(url, baseUrl);
  } catch (error) {
    throw new Error(`The ticket's host ${JSON.stringify(url)} is not a usable URL here`, { cause: error });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new Error(`The ticket's host ${JSON.stringify(url)} is not an http(s) URL`);
  }
  return target;
}

function toTransportResponse(raw: RawResponse): TransportResponse {
  return {
    status: raw.status,
    headers: (name) => {
      const value = raw.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    bodyText: raw.bodyText,
  };
}

/** The contract's two rejections; a file that cannot be read is neither, and is passed on as it is. */
function toTransportError(error: unknown, target: URL, signal: AbortSignal): Error {
  if (signal.aborted) return new AbortError(undefined, { cause: error });
  if (error instanceof FileReadError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new NetworkError(`Upload to ${target.origin} failed: ${detail}`, { cause: error });
}

export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): NodeHttpTransport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const createBoundary = options.createBoundary ?? createMultipartBoundary;
  return {
    async send(request) {
      if (request.signal.aborted) throw new AbortError();
      const url = resolveTarget(request.url, options.baseUrl);
      const body = encodeMultipartForm(request.body, createBoundary());
      try {
        const raw = await sendMultipartRequest(
          {
            url,
            body,
            headers: { 'user-agent': options.userAgent ?? 'upcall-cli', ...request.headers },
            agent: url.protocol === 'https:' ? agents.https : agents.http,
            idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
            maxResponseBytes: options.maxResponseBytes ?? 4 * 1024 * 1024,
            onBytesWritten: (loaded, total) => request.onUploadProgress?.({ loaded, total }),
          },
          request.signal,
        );
        return toTransportResponse(raw);
      } catch (error) {
        throw toTransportError(error, url, request.signal);
      }
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
