// Expiry of abandoned multipart uploads: OSS keeps them until a lifecycle rule aborts them; a server on a
// developer's disk needs a bound (threats §C7.60: stale parts older than the configured TTL are swept).
// One sweep at start (uploads left by a previous run) and one every intervalMs; sweeps never overlap, and
// a failing sweep is logged and retried at the next tick rather than stopping the schedule.
import type { Logger } from 'pino';
import type { ObjectStore } from '../../store/object-store.js';

/** The default age after which an upload is aborted: 7 days (P). */
export const defaultMultipartMaxAgeMs = 7 * 24 * 60 * 60 * 1000;
/** The default time between sweeps: 1 hour (P). */
export const defaultMultipartExpiryIntervalMs = 60 * 60 * 1000;

export interface MultipartExpiryOptions {
  /** Uploads initiated more than this long before `now()` are aborted. */
  readonly maxAgeMs: number;
  readonly intervalMs: number;
  /** Injected clock (ms since epoch). */
  readonly now: () => number;
  readonly log?: Logger;
}

/** Stops the schedule; resolves once a sweep in progress (if any) has finished. */
export type StopMultipartExpiry = () => Promise<void>;

function checkPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be positive, got ${value}`);
}

export function startMultipartExpiry(
  store: Pick<ObjectStore, 'multipart'>,
  options: MultipartExpiryOptions,
): StopMultipartExpiry {
  checkPositive('maxAgeMs', options.maxAgeMs);
  checkPositive('intervalMs', options.intervalMs);
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweep = (): void => {
    if (running !== undefined || stopped) return;
    const cutoffMs = options.now() - options.maxAgeMs;
    running = store.multipart
      .expireUploads(cutoffMs)
      .then(
        (expired) => {
          if (expired > 0) options.log?.info({ expired, cutoffMs }, 'expired abandoned multipart uploads');
        },
        (error: unknown) => options.log?.error({ err: error }, 'multipart expiry sweep failed'),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(sweep, options.intervalMs);
  timer.unref(); // never keeps the process alive on its own
  sweep();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
