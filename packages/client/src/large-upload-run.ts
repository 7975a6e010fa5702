// The state of one uploadLargeFile call and its first step: resume the upload named in the resume
// storage when storage still has it (parts checked against ListParts: same number, same size, and the
// same ETag when one was noted), else start a new one. Progress counts finished parts plus the bytes of
// parts in flight.
import {
  clearResumeState,
  readResumeState,
  writeResumeState,
  type ResumeState,
  type ResumeStorage,
} from './large-upload-resume.js';
import type { MultipartEndpoints } from './multipart-endpoints.js';
import type { PauseGate } from './pause-gate.js';
import { planParts, resolvePartSize, type PlannedPart } from './plan-parts.js';
import { createProgressMeter, type ProgressMeter, type UploadProgress } from './progress-meter.js';
import { TicketError } from './upload-errors.js';

export interface LargeRun {
  readonly file: Blob;
  readonly fileName: string;
  readonly contentType: string;
  readonly endpoints: MultipartEndpoints;
  readonly gate: PauseGate;
  /** Fires on the caller's cancel or on a fatal failure: stops every worker. */
  readonly stop: AbortController;
  readonly storage: ResumeStorage | undefined;
  readonly resumeKey: string;
  readonly requestedPartSize: number | undefined;
  readonly now: () => number;
  readonly onProgress: ((progress: UploadProgress) => void) | undefined;
  uploadId: string | undefined;
  key: string | undefined;
  partSize: number;
  plan: PlannedPart[];
  readonly etags: Map<number, string>;
  pending: number[];
  readonly inFlight: Map<number, number>;
  requests: number;
  meter: ProgressMeter;
}

export function describeRun(run: LargeRun): { key?: string; uploadId?: string } {
  return {
    ...(run.key === undefined ? {} : { key: run.key }),
    ...(run.uploadId === undefined ? {} : { uploadId: run.uploadId }),
  };
}

function partBytes(part: PlannedPart | undefined): number {
  return part === undefined ? 0 : part.end - part.start;
}

export function readDoneBytes(run: LargeRun): number {
  let done = 0;
  for (const partNumber of run.etags.keys()) done += partBytes(run.plan[partNumber - 1]);
  return done;
}

export function reportProgress(run: LargeRun): void {
  let loaded = readDoneBytes(run);
  for (const bytes of run.inFlight.values()) loaded += bytes;
  const progress = run.meter.update(loaded, run.file.size);
  if (progress !== undefined) run.onProgress?.(progress);
}

/** A new meter from the bytes really done (after a resume the in-flight bytes were lost). */
export function restartMeter(run: LargeRun): void {
  run.meter = createProgressMeter({
    totalBytes: run.file.size,
    attempt: 1,
    now: run.now,
    initialLoaded: readDoneBytes(run),
  });
  run.onProgress?.(run.meter.current());
}

export function saveResumeState(run: LargeRun): void {
  if (run.uploadId === undefined) return;
  const state: ResumeState = {
    uploadId: run.uploadId,
    ...(run.key === undefined ? {} : { key: run.key }),
    size: run.file.size,
    partSize: run.partSize,
    parts: Object.fromEntries([...run.etags].map(([n, etag]) => [String(n), etag])),
  };
  writeResumeState(run.storage, run.resumeKey, state);
}

function usePlan(run: LargeRun, partSize: number): void {
  run.partSize = partSize;
  run.plan = planParts(run.file.size, partSize);
}

async function tryResume(run: LargeRun, saved: ResumeState): Promise<boolean> {
  let stored;
  try {
    usePlan(run, resolvePartSize(run.file.size, saved.partSize));
    stored = await run.endpoints.listParts({ uploadId: saved.uploadId, signal: run.stop.signal });
  } catch (error) {
    const gone = error instanceof TicketError && (error.httpStatus === 404 || error.httpStatus === 409);
    if (gone || error instanceof RangeError) return false; // aborted, completed or expired: start again
    throw error;
  }
  run.uploadId = saved.uploadId;
  run.key = saved.key;
  for (const part of stored) {
    const noted = saved.parts[String(part.partNumber)];
    const etag = part.etag.replace(/^"(.*)"$/, '$1');
    const sameSize = partBytes(run.plan[part.partNumber - 1]) === part.size;
    if (sameSize && (noted === undefined || noted.toUpperCase() === etag.toUpperCase()))
      run.etags.set(part.partNumber, etag);
  }
  return true;
}

async function startFresh(run: LargeRun): Promise<void> {
  usePlan(run, resolvePartSize(run.file.size, run.requestedPartSize));
  const started = await run.endpoints.start({
    fileName: run.fileName,
    size: run.file.size,
    contentType: run.contentType,
    signal: run.stop.signal,
  });
  if (typeof started?.uploadId !== 'string' || started.uploadId === '')
    throw new TicketError('The start endpoint answered without an uploadId.');
  run.uploadId = started.uploadId;
  run.key = started.key;
}

/** Resume or start; afterwards `pending` holds the parts still to upload, in order. */
export async function prepareRun(run: LargeRun): Promise<void> {
  const saved = readResumeState(run.storage, run.resumeKey);
  const resumed = saved !== undefined && saved.size === run.file.size && (await tryResume(run, saved));
  if (!resumed) {
    if (saved !== undefined) clearResumeState(run.storage, run.resumeKey);
    run.etags.clear();
    await startFresh(run);
  }
  run.pending = run.plan.map((part) => part.partNumber).filter((n) => !run.etags.has(n));
  saveResumeState(run);
  restartMeter(run);
}
