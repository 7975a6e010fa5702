// Uploads one file: ticket → form → POST → result, with retries (oss-protocol §1, §3, §9.6). Every
// outcome is a value of UploadResult; the promise never rejects, so callers switch on `status` and
// never lose a "stored but unconfirmed" answer in a catch block (anchors §6.4).
import { buildUploadForm } from './build-upload-form.js';
import { createProgressMeter, type UploadProgress } from './progress-meter.js';
import { raceAbort } from './race-abort.js';
import { readUploadResponse } from './read-upload-response.js';
import {
  computeRetryDelayMs,
  isRetryableStatus,
  resolveRetryOptions,
  sleepWithSignal,
  type RetryOptions,
} from './retry.js';
import { parseTicket, type ParsedTicket, type TicketSource } from './ticket.js';
import type { Transport } from './transport.js';
import { isAbortError, NetworkError, TicketError } from './upload-errors.js';
import { isStored, type UploadResult } from './upload-result.js';
import { xhrTransport } from './xhr-transport.js';

export interface UploadFileOptions {
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly signal?: AbortSignal;
  /** Default `xhrTransport` (browsers). */
  readonly transport?: Transport;
  /** Default `file.name`, else 'blob'. Sent as the file part's filename and used for prefix keys. */
  readonly fileName?: string;
  /** Default `file.type`, else 'application/octet-stream'. */
  readonly contentType?: string;
  readonly retry?: RetryOptions;
  /** A retry asks for a new ticket when the current one expires within this margin (default 60 000 ms). */
  readonly ticketMarginMs?: number;
  /** Clock in ms (default Date.now): ticket expiry and progress rate. */
  readonly now?: () => number;
  /** Backoff wait (default: setTimeout that rejects with AbortError on abort). */
  readonly sleep?: Sleep;
}

interface UploadRun {
  readonly file: Blob;
  readonly fileName: string;
  readonly contentType: string;
  readonly ticketSource: TicketSource;
  readonly transport: Transport;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly marginMs: number;
  readonly onProgress: ((progress: UploadProgress) => void) | undefined;
  ticket: ParsedTicket | undefined;
  key: string | undefined;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

type AttemptOutcome =
  | { readonly kind: 'done'; readonly result: UploadResult }
  | { readonly kind: 'retry'; readonly result?: UploadResult; readonly error?: Error };

function createRun(
  file: Blob & { name?: string },
  ticketSource: TicketSource,
  options: UploadFileOptions,
): UploadRun {
  return {
    file,
    fileName: options.fileName ?? (typeof file.name === 'string' && file.name !== '' ? file.name : 'blob'),
    contentType: options.contentType ?? (file.type !== '' ? file.type : 'application/octet-stream'),
    ticketSource,
    transport: options.transport ?? xhrTransport,
    signal: options.signal ?? new AbortController().signal,
    now: options.now ?? Date.now,
    marginMs: options.ticketMarginMs ?? 60_000,
    onProgress: options.onProgress,
    ticket: undefined,
    key: undefined,
  };
}

/** Reuses the attempt's ticket across retries unless it is about to expire (§13.3). */
async function obtainTicket(run: UploadRun): Promise<ParsedTicket> {
  const held = run.ticket;
  if (held && (held.expireMs === undefined || held.expireMs - run.now() > run.marginMs)) return held;
  const request = {
    fileName: run.fileName,
    size: run.file.size,
    contentType: run.contentType,
    signal: run.signal,
  };
  let raw: unknown;
  try {
    raw = await raceAbort(run.ticketSource(request), run.signal);
  } catch (error) {
    if (isAbortError(error) || error instanceof TicketError) throw error;
    throw new TicketError(`The ticket source failed: ${String(error)}`, { cause: error });
  }
  run.ticket = parseTicket(raw);
  return run.ticket;
}

async function sendAttempt(run: UploadRun, attempt: number): Promise<AttemptOutcome> {
  const ticket = await obtainTicket(run);
  const form = buildUploadForm(ticket, {
    file: run.file,
    fileName: run.fileName,
    contentType: run.contentType,
  });
  run.key = form.key;
  const meter = createProgressMeter({ totalBytes: run.file.size, attempt, now: run.now });
  const report = (progress: UploadProgress | undefined): void => {
    if (progress) run.onProgress?.(progress);
  };
  report(meter.current()); // a retry restarts from 0: tell the UI
  const response = await run.transport.send({
    url: ticket.host,
    body: form.body,
    signal: run.signal,
    onUploadProgress: (event) => report(meter.update(event.loaded, event.total)),
  });
  const result = readUploadResponse(response, { attempts: attempt, ...describeUpload(run) });
  if (isRetryableStatus(response.status)) return { kind: 'retry', result };
  if (isStored(result)) report(meter.complete());
  return { kind: 'done', result };
}

function describeUpload(run: UploadRun): { key?: string; uploadId?: string } {
  return {
    ...(run.key === undefined ? {} : { key: run.key }),
    ...(run.ticket?.uploadId === undefined ? {} : { uploadId: run.ticket.uploadId }),
  };
}

/** Sorts a thrown error into retry / final result (see the Transport and TicketSource contracts). */
function classifyError(run: UploadRun, error: unknown, attempts: number): AttemptOutcome {
  const outcome = { attempts, ...describeUpload(run) };
  if (isAbortError(error) || run.signal.aborted)
    return { kind: 'done', result: { ...outcome, status: 'aborted' } };
  if (error instanceof NetworkError) return { kind: 'retry', error };
  if (error instanceof TicketError && error.retryable) return { kind: 'retry', error };
  const reason = error instanceof TicketError ? 'ticket' : 'unexpected';
  const wrapped = error instanceof Error ? error : new Error(String(error));
  return { kind: 'done', result: { ...outcome, status: 'failed', reason, error: wrapped } };
}

/** After the last attempt: a 5xx answer is reported as such; a missing answer as `failed`. */
function exhausted(run: UploadRun, last: AttemptOutcome, attempts: number): UploadResult {
  if (last.result) return last.result;
  const error =
    last.kind === 'retry' && last.error ? last.error : new NetworkError('No response from storage.');
  const reason = error instanceof TicketError ? 'ticket' : 'network';
  return { attempts, ...describeUpload(run), status: 'failed', reason, error };
}

async function attemptOnce(
  run: UploadRun,
  attempt: number,
  backoffMs: number,
  sleep: Sleep,
): Promise<AttemptOutcome> {
  try {
    if (backoffMs > 0) await raceAbort(sleep(backoffMs, run.signal), run.signal);
  } catch (error) {
    return classifyError(run, error, attempt - 1); // the wait was cut short: this attempt sent nothing
  }
  try {
    if (run.signal.aborted)
      return { kind: 'done', result: { attempts: attempt - 1, ...describeUpload(run), status: 'aborted' } };
    return await sendAttempt(run, attempt);
  } catch (error) {
    return classifyError(run, error, attempt);
  }
}

/**
 * Uploads `file` with a ticket from `ticketSource`. Retries network failures and 5xx with backoff
 * (never 4xx or 203), re-sending the whole form; the same ticket is reused unless it expires within
 * `ticketMarginMs`. Resolves with an UploadResult; rejects only for invalid options.
 */
export async function uploadFile(
  file: Blob & { name?: string },
  ticketSource: TicketSource,
  options: UploadFileOptions = {},
): Promise<UploadResult> {
  const run = createRun(file, ticketSource, options);
  const retry = resolveRetryOptions(options.retry);
  const sleep = options.sleep ?? sleepWithSignal;
  let last: AttemptOutcome = { kind: 'retry' };
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    const backoffMs = attempt === 1 ? 0 : computeRetryDelayMs(attempt - 1, retry);
    last = await attemptOnce(run, attempt, backoffMs, sleep);
    if (last.kind === 'done') return last.result;
  }
  return exhausted(run, last, retry.maxAttempts);
}
