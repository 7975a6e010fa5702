// Serves a Web handler from node:http or Express. Reads the raw body bytes itself (with a cap) — mount it
// before any body-parsing middleware, which would consume or re-encode the bytes OSS signed (§13.1) — and
// passes Node's `req.url` (Express: `req.originalUrl`) as the raw request target (§9.3).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCallbackCore, type CallbackExchange } from '../handlers/create-callback-handler.js';
import { buildErrorJson, buildErrorResponse, buildJsonHeaders } from '../handlers/json-response.js';
import type { WebHandler } from '../handlers/web-handler.js';
import { buildWebRequest, readResponseParts } from './build-web-request.js';

export interface NodeHandlerOptions {
  /** Default 64 KiB (the callback verifier's own limit). */
  readonly maxBodyBytes?: number;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

class NodeBodyTooLargeError extends Error {}

function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? '0') > maxBytes) return reject(new NodeBodyTooLargeError());
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        req.off('data', onData);
        req.resume(); // drain without keeping anything, so the 413 can still be written
        reject(new NodeBodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Express mounts rewrite `req.url`; `originalUrl` keeps the target as received. */
function readOriginalUrl(req: IncomingMessage): string {
  const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
  return typeof original === 'string' ? original : (req.url ?? '/');
}

/** Node's header record as a Web Headers object would read it back: repeated values joined by ", ". */
function readNodeHeaderRecord(nodeHeaders: IncomingMessage['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(nodeHeaders)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function writeJson(res: ServerResponse, status: number, json: string): void {
  const body = Buffer.from(json, 'utf8');
  res.writeHead(status, buildJsonHeaders(body.length));
  res.end(body);
}

/**
 * The callback handler served directly from the request parts (create-callback-handler.ts says why);
 * same replies as through Request/Response.
 */
function serveCallbackDirectly(
  core: (exchange: CallbackExchange) => Promise<{ status: number; json: string }>,
  maxBodyBytes: number,
): NodeHandler {
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let exchange: CallbackExchange;
    try {
      const target = readOriginalUrl(req);
      const method = req.method ?? 'GET';
      const body = method === 'POST' ? await readNodeBody(req, maxBodyBytes) : new Uint8Array();
      exchange = { method, target, headers: readNodeHeaderRecord(req.headers), body };
    } catch (error) {
      const tooLarge = error instanceof NodeBodyTooLargeError;
      const message = tooLarge ? `The request body exceeds ${maxBodyBytes} bytes.` : undefined;
      writeJson(
        res,
        tooLarge ? 413 : 500,
        buildErrorJson(tooLarge ? 'bad-request' : 'internal-error', message),
      );
      return;
    }
    const reply = await core(exchange);
    writeJson(res, reply.status, reply.json);
  };
  return (req, res) => {
    serve(req, res).catch(() => res.destroy());
  };
}

export function toNodeHandler(handler: WebHandler, options: NodeHandlerOptions = {}): NodeHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const core = readCallbackCore(handler);
  if (core !== undefined) return serveCallbackDirectly(core, maxBodyBytes);
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let response: Response;
    try {
      const body = await readNodeBody(req, maxBodyBytes);
      const target = readOriginalUrl(req);
      response = await handler(buildWebRequest(req.method ?? 'GET', target, req.headers, body), {
        rawTarget: target,
      });
    } catch (error) {
      response =
        error instanceof NodeBodyTooLargeError
          ? buildErrorResponse(413, 'bad-request', `The request body exceeds ${maxBodyBytes} bytes.`)
          : buildErrorResponse(500, 'internal-error');
    }
    const { headers, body } = await readResponseParts(response);
    res.writeHead(response.status, headers);
    res.end(body);
  };
  return (req, res) => {
    serve(req, res).catch(() => res.destroy());
  };
}
