// The part phase of uploadLargeFile: `concurrency` workers take part numbers from the run's queue and
// send them (send-part.ts). Pausing sends the interrupted part back to the queue; a fatal failure in one
// worker stops the others.
import { describeRun, reportProgress, saveResumeState, type LargeRun } from './large-upload-run.js';
import { combineSignals } from './pause-gate.js';
import type { PartTransport } from './part-transport.js';
import { createPartUrlCache } from './part-url-cache.js';
import { resolveRetryOptions, sleepWithSignal, type RetryOptions } from './retry.js';
import { sendPart, type PartContext } from './send-part.js';
import { isAbortError } from './upload-errors.js';
import { xhrPartTransport } from './xhr-part-transport.js';

export interface PartOptions {
  readonly transport?: PartTransport;
  readonly retry?: RetryOptions;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function buildPartContext(run: LargeRun, options: PartOptions): PartContext {
  return {
    file: run.file,
    transport: options.transport ?? xhrPartTransport,
    urls: createPartUrlCache({
      sign: (partNumbers) =>
        run.endpoints.signParts({ uploadId: run.uploadId ?? '', partNumbers, signal: run.stop.signal }),
      upcoming: () => run.pending,
      now: run.now,
    }),
    retry: resolveRetryOptions({ maxAttempts: 5, ...options.retry }),
    sleep: options.sleep ?? sleepWithSignal,
    onPartBytes: (partNumber, loaded) => {
      if (loaded === 0) run.inFlight.delete(partNumber);
      else run.inFlight.set(partNumber, loaded);
      reportProgress(run);
    },
    onRequest: () => {
      run.requests += 1;
    },
    get context() {
      return describeRun(run);
    },
  };
}

async function runWorker(run: LargeRun, ctx: PartContext): Promise<void> {
  for (;;) {
    await run.gate.waitUntilOpen(run.stop.signal);
    const partNumber = run.pending.shift();
    const part = partNumber === undefined ? undefined : run.plan[partNumber - 1];
    if (partNumber === undefined || part === undefined) return;
    const { signal, dispose } = combineSignals(run.stop.signal, run.gate.pauseSignal);
    try {
      run.etags.set(partNumber, await sendPart(ctx, part, signal));
      saveResumeState(run);
      reportProgress(run);
    } catch (error) {
      if (isAbortError(error) && !run.stop.signal.aborted && run.gate.paused) {
        run.pending.unshift(partNumber); // paused: sent again on resume
        continue;
      }
      run.stop.abort(); // one fatal failure ends the upload: stop the other workers
      throw error;
    } finally {
      dispose();
    }
  }
}

/** All workers; the first non-abort failure wins over the aborts it caused in the others. */
export async function uploadParts(run: LargeRun, ctx: PartContext, concurrency: number): Promise<void> {
  const workers = Array.from({ length: Math.min(concurrency, Math.max(1, run.pending.length)) }, () =>
    runWorker(run, ctx),
  );
  const settled = await Promise.allSettled(workers);
  const failures = settled.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  const failure = failures.find((error) => !isAbortError(error)) ?? failures[0];
  if (failure === undefined) return;
  throw failure instanceof Error ? failure : new Error('A part upload failed.', { cause: failure });
}
