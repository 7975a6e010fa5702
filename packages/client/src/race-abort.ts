// Settles with `promise`, or rejects with AbortError as soon as `signal` fires — for steps that cannot
// be cancelled themselves (a ticket source or sleep that ignores the signal), so abort stays prompt.
// The promise is always observed, so its late rejection never becomes an unhandled rejection.
import { AbortError } from './upload-errors.js';

export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError());
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
