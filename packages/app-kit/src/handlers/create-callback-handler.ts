// The callback endpoint: verify → confirm the upload record → reply with the application's JSON, which
// OSS relays to the browser (oss-protocol §9.6). Replies follow OSS's contract: 200 + application/json +
// explicit Content-Length, no BOM. Any refusal is non-200 with `{ "error": reason }`; OSS then answers the
// uploader 203 CallbackFailed and keeps the object, and reconciliation can repair the record.
import type { UploadRecord, UploadRecordStore } from '../records/upload-record-store.js';
import { isUploadRecordStoreError } from '../records/upload-record-store-error.js';
import { isCallbackVerificationError } from '../verify/callback-verification-error.js';
import { confirmUpload } from '../verify/confirm-upload.js';
import type { VerifiedCallback } from '../verify/verified-callback.js';
import {
  defaultMaxCallbackBodyBytes,
  verifyCallback,
  type VerifyCallbackOptions,
} from '../verify/verify-callback.js';
import { buildErrorJson, buildJsonResponse } from './json-response.js';
import { DeadlineExceededError, raceDeadline } from './race-deadline.js';
import { BodyTooLargeError, readRequestBody } from './read-request-body.js';
import { readHeaderRecord, readRawTarget, type WebHandler } from './web-handler.js';

export interface CallbackHandlerOptions {
  readonly verifyOptions?: VerifyCallbackOptions;
  readonly store: UploadRecordStore;
  /**
   * Runs once per new confirmation, before the record is marked confirmed; its return value is stored and
   * becomes the reply body (replays get the stored reply without calling it again). Keep it quick: it shares
   * the `confirmBudgetMs` budget. Concurrent duplicate deliveries may call it more than once; only the first
   * reply is kept.
   */
  readonly onUploadConfirmed?: (record: UploadRecord, callback: VerifiedCallback) => unknown;
  readonly rejectLateCallbacks?: boolean;
  /** Store + hook budget (default 2000 ms): OSS waits only 5 s in total (§9.1, threats §C6.57). */
  readonly confirmBudgetMs?: number;
  readonly now?: () => number;
  /** Called with every refusal and failure, for logging; never changes the reply. */
  readonly onError?: (error: unknown) => void;
}

export const defaultConfirmBudgetMs = 2000;

/** A callback request as the core sees it: raw target (§9.3), lower-case headers, body bytes. */
export interface CallbackExchange {
  readonly method: string;
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** The reply the core decides: a status and the JSON text (json-response.ts adds the headers). */
export interface CallbackReply {
  readonly status: number;
  readonly json: string;
}

type CallbackCore = (exchange: CallbackExchange) => Promise<CallbackReply>;

/**
 * The handler's work without Web Request/Response objects, offered to adapters that hold the request
 * parts already (toNodeHandler): building a Request with a body stream, reading it back and building a
 * Response cost the app server more CPU per callback than verifying the signature (docs/benchmarks.md,
 * scenario 3). Same verdicts and replies as the Web handler, which wraps it.
 */
const callbackCore = Symbol('upcall.callbackCore');

export function readCallbackCore(handler: WebHandler): CallbackCore | undefined {
  return (handler as WebHandler & { [callbackCore]?: CallbackCore })[callbackCore];
}

function buildCallbackCore(options: CallbackHandlerOptions): CallbackCore {
  const budgetMs = options.confirmBudgetMs ?? defaultConfirmBudgetMs;
  const confirmOptions = {
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onUploadConfirmed === undefined ? {} : { buildReply: options.onUploadConfirmed }),
    ...(options.rejectLateCallbacks === undefined
      ? {}
      : { rejectLateCallbacks: options.rejectLateCallbacks }),
  };
  return async (exchange) => {
    try {
      if (exchange.method !== 'POST') return errorReply(405, 'bad-request', 'Callbacks are POST requests.');
      const verified = await verifyCallback(exchange, options.verifyOptions);
      const confirmed = await raceDeadline(confirmUpload(verified, options.store, confirmOptions), budgetMs);
      return { status: 200, json: confirmed.replyJson };
    } catch (error) {
      options.onError?.(error);
      return buildFailureReply(error);
    }
  };
}

export function createCallbackHandler(options: CallbackHandlerOptions): WebHandler {
  const maxBodyBytes = options.verifyOptions?.maxBodyBytes ?? defaultMaxCallbackBodyBytes;
  const core = buildCallbackCore(options);
  const handler: WebHandler = async (request, context) => {
    let body: Uint8Array;
    try {
      body = request.method === 'POST' ? await readRequestBody(request, maxBodyBytes) : new Uint8Array();
    } catch (error) {
      options.onError?.(error);
      const reply = buildFailureReply(error);
      return buildJsonResponse(reply.status, reply.json);
    }
    const reply = await core({
      method: request.method,
      target: readRawTarget(request, context),
      headers: readHeaderRecord(request),
      body,
    });
    return buildJsonResponse(reply.status, reply.json);
  };
  Object.defineProperty(handler, callbackCore, { value: core });
  return handler;
}

function errorReply(status: number, error: string, message?: string): CallbackReply {
  return { status, json: buildErrorJson(error, message) };
}

function buildFailureReply(error: unknown): CallbackReply {
  if (isCallbackVerificationError(error)) return errorReply(error.status, error.reason);
  if (error instanceof BodyTooLargeError) return errorReply(413, 'bad-request', error.message);
  if (error instanceof DeadlineExceededError) return errorReply(503, 'store-timeout');
  // Non-200 so OSS reports 203 and keeps the object; details stay in the logs (onError).
  if (isUploadRecordStoreError(error)) return errorReply(503, 'store-unavailable');
  return errorReply(500, 'internal-error');
}
