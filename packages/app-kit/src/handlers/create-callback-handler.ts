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
import { buildErrorResponse, buildJsonResponse } from './json-response.js';
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

export function createCallbackHandler(options: CallbackHandlerOptions): WebHandler {
  const maxBodyBytes = options.verifyOptions?.maxBodyBytes ?? defaultMaxCallbackBodyBytes;
  const budgetMs = options.confirmBudgetMs ?? defaultConfirmBudgetMs;
  return async (request, context) => {
    try {
      if (request.method !== 'POST')
        return buildErrorResponse(405, 'bad-request', 'Callbacks are POST requests.');
      const body = await readRequestBody(request, maxBodyBytes);
      const verified = await verifyCallback(
        {
          method: request.method,
          target: readRawTarget(request, context),
          headers: readHeaderRecord(request),
          body,
        },
        options.verifyOptions,
      );
      const confirmed = await raceDeadline(
        confirmUpload(verified, options.store, {
          ...(options.now === undefined ? {} : { now: options.now }),
          ...(options.onUploadConfirmed === undefined ? {} : { buildReply: options.onUploadConfirmed }),
          ...(options.rejectLateCallbacks === undefined
            ? {}
            : { rejectLateCallbacks: options.rejectLateCallbacks }),
        }),
        budgetMs,
      );
      return buildJsonResponse(200, confirmed.replyJson);
    } catch (error) {
      options.onError?.(error);
      return buildFailureResponse(error);
    }
  };
}

function buildFailureResponse(error: unknown): Response {
  if (isCallbackVerificationError(error)) return buildErrorResponse(error.status, error.reason);
  if (error instanceof BodyTooLargeError) return buildErrorResponse(413, 'bad-request', error.message);
  if (error instanceof DeadlineExceededError) return buildErrorResponse(503, 'store-timeout');
  // Non-200 so OSS reports 203 and keeps the object; details stay in the logs (onError).
  if (isUploadRecordStoreError(error)) return buildErrorResponse(503, 'store-unavailable');
  return buildErrorResponse(500, 'internal-error');
}
