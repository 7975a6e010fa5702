// Pause and resume of a large upload. Pausing aborts the parts in flight (their bytes are sent again on
// resume; finished parts stay finished) through a signal that is replaced on every resume, and holds
// every worker at `waitUntilOpen` until resume() — or until the caller's own signal cancels the upload.
import { AbortError } from './upload-errors.js';

export interface PauseGate {
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Fires when pause() is called; a fresh signal after each resume. */
  readonly pauseSignal: AbortSignal;
  /** Resolves at once when running; while paused, on resume(); rejects with AbortError when `signal` fires. */
  waitUntilOpen(signal: AbortSignal): Promise<void>;
}

export function createPauseGate(): PauseGate {
  let controller = new AbortController();
  let paused = false;
  let waiters: Array<() => void> = [];
  return {
    get paused() {
      return paused;
    },
    get pauseSignal() {
      return controller.signal;
    },
    pause() {
      if (paused) return;
      paused = true;
      controller.abort();
    },
    resume() {
      if (!paused) return;
      paused = false;
      controller = new AbortController();
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    waitUntilOpen(signal) {
      if (signal.aborted) return Promise.reject(new AbortError());
      if (!paused) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onAbort = (): void => reject(new AbortError());
        signal.addEventListener('abort', onAbort, { once: true });
        waiters.push(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    },
  };
}

/** A signal that fires when either input fires; `dispose` detaches it (call it when the request ends). */
export function combineSignals(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (a.aborted || b.aborted) controller.abort();
  a.addEventListener('abort', onAbort, { once: true });
  b.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      a.removeEventListener('abort', onAbort);
      b.removeEventListener('abort', onAbort);
    },
  };
}
