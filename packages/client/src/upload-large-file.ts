// Uploads a large file as presigned multipart parts (docs/large-uploads.md): the app starts the upload and
// signs part URLs, the page PUTs `file.slice()` parts in parallel (never the whole file in memory), each
// part retried on its own; finished parts are noted in localStorage so a reload resumes (checked against
// ListParts); the app completes with the callback pinned server-side. The result is the same union as
// uploadFile's: confirmed, stored-unconfirmed (203, §9.6), rejected, aborted, failed.
import {
  buildResumeKey,
  clearResumeState,
  findDefaultResumeStorage,
  type ResumeStorage,
} from './large-upload-resume.js';
import { describeRun, prepareRun, restartMeter, type LargeRun } from './large-upload-run.js';
import type { MultipartEndpoints } from './multipart-endpoints.js';
import { createPauseGate } from './pause-gate.js';
import { buildPartContext, uploadParts } from './run-part-workers.js';
import type { PartTransport } from './part-transport.js';
import { createProgressMeter, type UploadProgress } from './progress-meter.js';
import { readUploadResponse } from './read-upload-response.js';
import type { RetryOptions } from './retry.js';
import { PartRejectedError } from './send-part.js';
import { isAbortError, NetworkError, TicketError } from './upload-errors.js';
import { isStored, type UploadResult } from './upload-result.js';

export interface UploadLargeFileOptions {
  /** Bytes per part (default 8 MiB, at least 100 KiB); grows when the file would need > 10 000 parts. */
  readonly partSize?: number;
  /** Parts in flight at once (default 4). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Cancels the upload: parts stop, the app aborts the multipart upload, the resume note is dropped. */
  readonly signal?: AbortSignal;
  /** Default xhrPartTransport (browsers); fetchPartTransport elsewhere. */
  readonly transport?: PartTransport;
  /** Per part (default 5 attempts, backoff from 1000 ms). */
  readonly retry?: RetryOptions;
  /** Where resume notes live (default localStorage when present); null disables resume. */
  readonly resumeStorage?: ResumeStorage | null;
  /** Separates resume notes of different apps or users on one origin (default ''). */
  readonly resumeScope?: string;
  readonly fileName?: string;
  readonly contentType?: string;
  /** Default true: on cancel, ask the app to abort the multipart upload (storage frees the parts). */
  readonly abortOnCancel?: boolean;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A running large upload: await it (or `.result`) for the UploadResult; pause and resume in between. */
export interface LargeFileUpload extends PromiseLike<UploadResult> {
  readonly result: Promise<UploadResult>;
  readonly paused: boolean;
  /** Stops the parts in flight (they are sent again on resume); finished parts stay. */
  pause(): void;
  resume(): void;
}

function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  return concurrency;
}

function createRun(
  file: Blob & { name?: string },
  endpoints: MultipartEndpoints,
  options: UploadLargeFileOptions,
): LargeRun {
  const now = options.now ?? Date.now;
  return {
    file,
    fileName: options.fileName ?? (typeof file.name === 'string' && file.name !== '' ? file.name : 'blob'),
    contentType: options.contentType ?? (file.type !== '' ? file.type : 'application/octet-stream'),
    endpoints,
    gate: createPauseGate(),
    stop: new AbortController(),
    storage:
      options.resumeStorage === null ? undefined : (options.resumeStorage ?? findDefaultResumeStorage()),
    resumeKey: buildResumeKey(file, options.resumeScope),
    requestedPartSize: options.partSize,
    now,
    onProgress: options.onProgress,
    uploadId: undefined,
    key: undefined,
    partSize: 0,
    plan: [],
    etags: new Map(),
    pending: [],
    inFlight: new Map(),
    requests: 0,
    meter: createProgressMeter({ totalBytes: file.size, attempt: 1, now }),
  };
}

async function completeUpload(run: LargeRun): Promise<UploadResult> {
  const parts = [...run.etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
  run.requests += 1;
  const answer = await run.endpoints.complete({
    uploadId: run.uploadId ?? '',
    parts,
    signal: run.stop.signal,
  });
  const headers: Record<string, string | undefined> = {
    etag: answer.etag,
    'x-oss-request-id': answer.requestId,
    'x-oss-ec': answer.ec,
  };
  const result = readUploadResponse(
    {
      status: answer.httpStatus,
      bodyText: answer.bodyText,
      headers: (name) => headers[name.toLowerCase()] ?? null,
    },
    { attempts: run.requests, ...describeRun(run) },
  );
  if (answer.httpStatus < 500) clearResumeState(run.storage, run.resumeKey);
  if (isStored(result)) {
    const progress = run.meter.complete();
    if (progress !== undefined) run.onProgress?.(progress);
  }
  return result;
}

function toResult(run: LargeRun, error: unknown, cancelled: boolean): UploadResult {
  const outcome = { attempts: run.requests, ...describeRun(run) };
  if (cancelled || isAbortError(error)) return { ...outcome, status: 'aborted' };
  if (error instanceof PartRejectedError) return { ...error.result, ...outcome };
  const wrapped = error instanceof Error ? error : new Error(String(error));
  const reason =
    error instanceof NetworkError ? 'network' : error instanceof TicketError ? 'ticket' : 'unexpected';
  return { ...outcome, status: 'failed', reason, error: wrapped };
}

async function settleFailure(
  run: LargeRun,
  result: UploadResult,
  options: UploadLargeFileOptions,
): Promise<void> {
  if (result.status === 'rejected') clearResumeState(run.storage, run.resumeKey);
  if (result.status !== 'aborted' || options.abortOnCancel === false || run.uploadId === undefined) return;
  clearResumeState(run.storage, run.resumeKey);
  await run.endpoints.abort({ uploadId: run.uploadId }).catch(() => undefined); // best effort
}

async function runLargeUpload(
  run: LargeRun,
  options: UploadLargeFileOptions,
  concurrency: number,
): Promise<UploadResult> {
  const cancel = options.signal;
  const onCancel = (): void => run.stop.abort();
  cancel?.addEventListener('abort', onCancel, { once: true });
  try {
    if (cancel?.aborted) run.stop.abort();
    await prepareRun(run);
    await uploadParts(run, buildPartContext(run, options), concurrency);
    await run.gate.waitUntilOpen(run.stop.signal);
    return await completeUpload(run);
  } catch (error) {
    const result = toResult(run, error, cancel?.aborted === true);
    await settleFailure(run, result, options);
    return result;
  } finally {
    cancel?.removeEventListener('abort', onCancel);
  }
}

/** Starts (or resumes) the upload at once; never rejects — every outcome is an UploadResult. */
export function uploadLargeFile(
  file: Blob & { name?: string; lastModified?: number },
  endpoints: MultipartEndpoints,
  options: UploadLargeFileOptions = {},
): LargeFileUpload {
  const concurrency = checkConcurrency(options.concurrency ?? 4);
  const run = createRun(file, endpoints, options);
  const result = runLargeUpload(run, options, concurrency);
  return {
    result,
    get paused() {
      return run.gate.paused;
    },
    pause: () => run.gate.pause(),
    resume: () => {
      if (!run.gate.paused) return;
      run.gate.resume();
      restartMeter(run);
    },
    then: (onFulfilled, onRejected) => result.then(onFulfilled, onRejected),
  };
}
