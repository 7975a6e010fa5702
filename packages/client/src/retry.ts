// Retry policy for the form POST: network failures and 5xx are retried with exponential backoff and
// jitter; 4xx are final (the same form would be refused again) and so is 203 — the object is already
// stored and the app's callback endpoint answered, retrying would upload it twice (oss-protocol §9.6).
import { AbortError } from './upload-errors.js';

export interface RetryOptions {
  /** Total attempts including the first (default 3; 1 disables retries). */
  readonly maxAttempts?: number;
  /** Backoff before the first retry (default 1000 ms); doubles each retry. */
  readonly baseDelayMs?: number;
  /** Upper bound of a single backoff (default 30 000 ms). */
  readonly maxDelayMs?: number;
  /** Uniform [0, 1) source for jitter (default Math.random); tests inject a fixed one. */
  readonly random?: () => number;
}

export interface ResolvedRetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
}

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  }
  return {
    maxAttempts,
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    random: options.random ?? Math.random,
  };
}

/**
 * Delay before retry number `retry` (1 = first retry): "equal jitter" — half of the exponential step is
 * fixed, half random — so retries never fire back-to-back yet many clients do not retry in lockstep.
 */
export function computeRetryDelayMs(retry: number, options: ResolvedRetryOptions): number {
  const stepMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(stepMs / 2 + options.random() * (stepMs / 2));
}

/** 5xx is the server's own failure (OSS: InternalError, ServiceUnavailable); 203 is not an error. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 && status <= 599;
}

/** Waits `ms`, or rejects with AbortError as soon as `signal` fires (the timer is cleared). */
export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) throw new AbortError();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
