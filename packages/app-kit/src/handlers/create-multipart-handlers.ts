// The five endpoints of a presigned multipart upload (docs/large-uploads.md): start, sign-parts,
// list-parts, complete, abort. Each is a POST with a small JSON body, authenticated (401 without a user),
// same-origin by default (threats §C6.59: a signed part URL is a write grant), never cached, and every
// refusal is a JSON `{ error, message }` like the ticket handler's. The browser names uploads by record
// id only; ownership and the OSS upload id are looked up server-side (multipart/load-owned-upload.ts).
import { abortMultipartUpload } from '../multipart/abort-multipart-upload.js';
import { completeMultipartUpload } from '../multipart/complete-multipart-upload.js';
import { listUploadedParts } from '../multipart/list-uploaded-parts.js';
import type { MultipartUploadOptions } from '../multipart/multipart-options.js';
import { isMultipartRequestError, MultipartRequestError } from '../multipart/multipart-request-error.js';
import { StorageUnreachableError } from '../multipart/send-storage-request.js';
import { signUploadPartUrls } from '../multipart/sign-upload-part-urls.js';
import { startMultipartUpload } from '../multipart/start-multipart-upload.js';
import { isUploadRecordStoreError } from '../records/upload-record-store-error.js';
import { checkRequestOrigin } from './create-ticket-handler.js';
import { buildErrorResponse, buildJsonResponse } from './json-response.js';
import { BodyTooLargeError, readRequestBody } from './read-request-body.js';
import type { WebHandler } from './web-handler.js';

/** What the browser sends to start an upload (the client's `uploadLargeFile` sends exactly this). */
export interface StartUploadBody {
  readonly fileName?: string;
  readonly size: number;
  readonly contentType?: string;
}

export interface MultipartHandlerOptions extends MultipartUploadOptions {
  /** The authenticated user, or undefined (→ 401). */
  readonly getUserId: (request: Request) => string | undefined | Promise<string | undefined>;
  /** App data stored on a new upload's record, e.g. `{ fileName }` for a records table. */
  readonly appData?: (body: StartUploadBody, userId: string) => Readonly<Record<string, unknown>> | undefined;
  /** Origins (scheme://host[:port]) allowed besides the request's own host. */
  readonly allowedOrigins?: readonly string[];
  readonly onError?: (error: unknown) => void;
}

export interface MultipartHandlers {
  readonly start: WebHandler;
  readonly signParts: WebHandler;
  readonly listParts: WebHandler;
  readonly complete: WebHandler;
  readonly abort: WebHandler;
}

/** A complete request for 10 000 parts is about 600 KB of JSON. */
const maxBodyBytes = 1024 * 1024;

type JsonBody = Readonly<Record<string, unknown>>;
type Action = (body: JsonBody, userId: string) => Promise<unknown>;

async function readJsonBody(request: Request): Promise<JsonBody> {
  const bytes = await readRequestBody(request, maxBodyBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new MultipartRequestError('bad-request', 'The body must be JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new MultipartRequestError('bad-request', 'The body must be a JSON object.');
  return parsed as JsonBody;
}

function readUploadId(body: JsonBody): string {
  if (typeof body.uploadId !== 'string') throw new MultipartRequestError('bad-request', 'Give uploadId.');
  return body.uploadId;
}

function readOptionalString(body: JsonBody, name: string, maxChars: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MultipartRequestError('bad-request', `${name} must be a string.`);
  return value.slice(0, maxChars);
}

function buildFailureResponse(error: unknown): Response {
  if (isMultipartRequestError(error)) return buildErrorResponse(error.status, error.reason, error.message);
  if (error instanceof BodyTooLargeError) return buildErrorResponse(413, 'bad-request', error.message);
  if (error instanceof StorageUnreachableError) return buildErrorResponse(503, 'storage-unreachable');
  if (isUploadRecordStoreError(error)) return buildErrorResponse(503, 'store-unavailable');
  return buildErrorResponse(500, 'internal-error');
}

function createJsonHandler(options: MultipartHandlerOptions, action: Action): WebHandler {
  return async (request) => {
    if (request.method !== 'POST') return buildErrorResponse(405, 'method-not-allowed');
    if (!checkRequestOrigin(request, options.allowedOrigins)) return buildErrorResponse(403, 'cross-origin');
    try {
      const userId = await options.getUserId(request);
      if (userId === undefined) return buildErrorResponse(401, 'unauthenticated');
      const reply = await action(await readJsonBody(request), userId);
      return buildJsonResponse(200, JSON.stringify(reply));
    } catch (error) {
      options.onError?.(error);
      return buildFailureResponse(error);
    }
  };
}

function buildStartAction(options: MultipartHandlerOptions): Action {
  return async (body, userId) => {
    const start: StartUploadBody = {
      size: typeof body.size === 'number' ? body.size : Number.NaN,
      ...optional('fileName', readOptionalString(body, 'fileName', 255)),
      ...optional('contentType', readOptionalString(body, 'contentType', 255)),
    };
    const appData = options.appData?.(start, userId);
    const started = await startMultipartUpload(options, {
      userId,
      sizeBytes: start.size,
      ...optional('fileName', start.fileName),
      ...optional('contentType', start.contentType),
      ...optional('appData', appData),
    });
    return { uploadId: started.uploadId, key: started.key, expiresAtMs: started.expiresAtMs };
  };
}

function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

export function createMultipartHandlers(options: MultipartHandlerOptions): MultipartHandlers {
  return {
    start: createJsonHandler(options, buildStartAction(options)),
    signParts: createJsonHandler(options, (body, userId) =>
      signUploadPartUrls(options, {
        userId,
        uploadId: readUploadId(body),
        partNumbers: Array.isArray(body.partNumbers) ? (body.partNumbers as number[]) : [],
      }),
    ),
    listParts: createJsonHandler(options, async (body, userId) => ({
      parts: await listUploadedParts(options, { userId, uploadId: readUploadId(body) }),
    })),
    complete: createJsonHandler(options, (body, userId) =>
      completeMultipartUpload(options, {
        userId,
        uploadId: readUploadId(body),
        parts: Array.isArray(body.parts) ? (body.parts as unknown[]) : [],
      }),
    ),
    abort: createJsonHandler(options, async (body, userId) => {
      await abortMultipartUpload(options, { userId, uploadId: readUploadId(body) });
      return { aborted: true };
    }),
  };
}
