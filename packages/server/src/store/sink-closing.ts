// Small helpers for the staged-write sinks of both stores: commit needs the sink ended, flushed and
// closed without error; abort needs it destroyed and closed (its file descriptor released) before the
// temp file is unlinked.
import type { Writable } from 'node:stream';

/** Resolves once the stream has emitted 'close' (immediately if it already has). Never rejects. */
export function waitForClose(stream: Writable): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

/**
 * Waits until an ended sink has flushed and closed, and rethrows its write error if it had one
 * (ENOSPC, EIO, EFBIG — threats §B13: a write error is a failed request, never a stored object).
 */
export async function awaitEndedSink(sink: Writable): Promise<void> {
  if (sink.errored) throw sink.errored;
  if (!sink.writableEnded) throw new Error('commit() called before the body was ended');
  await waitForClose(sink);
  // Re-read: TypeScript keeps the narrowing from before the await, but the stream may have failed since.
  const lateError = sink.errored as Error | null;
  if (lateError) throw lateError;
  if (!sink.writableFinished) throw new Error('the body sink closed before it finished');
}

/** Destroys the sink (if still open) and waits for it to close. */
export async function destroyAndWaitForClose(sink: Writable): Promise<void> {
  if (!sink.destroyed) sink.destroy();
  await waitForClose(sink);
}

/**
 * A listener that keeps a sink's 'error' from becoming an uncaught exception when the caller has none
 * (formidable #345, express-fileupload #256: ENOSPC crashed the process). The error is not lost: it stays
 * in `sink.errored` and `commit()` rethrows it.
 */
export function keepSinkErrorForCommit(sink: Writable): void {
  sink.on('error', () => undefined);
}
