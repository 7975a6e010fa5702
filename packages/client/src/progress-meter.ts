// Upload progress in file bytes with a sliding-window rate. Transports report request-body bytes
// (fields + multipart framing + file); they are scaled onto the file size so `total` is what the user
// picked. Within one attempt `loaded` never decreases (browsers may repeat or reorder events); a retry
// re-sends the whole form, so a new meter starts again from 0.

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
  /** Average over the last `windowMs` (default 3 s); 0 until two samples span some time. */
  readonly bytesPerSecond: number;
  /** 1 for the first request, 2 for the first retry… */
  readonly attempt: number;
}

export interface ProgressMeterOptions {
  readonly totalBytes: number;
  readonly attempt: number;
  readonly now: () => number;
  readonly windowMs?: number;
  /** Bytes already done when the meter starts (a resumed multipart upload); default 0. */
  readonly initialLoaded?: number;
}

export interface ProgressMeter {
  /** Records body progress; returns the progress to report, or undefined if nothing moved. */
  update(bodyLoaded: number, bodyTotal: number): UploadProgress | undefined;
  /** Marks every byte as sent (storage answered, so it had the whole body). */
  complete(): UploadProgress | undefined;
  current(): UploadProgress;
}

interface Sample {
  readonly atMs: number;
  readonly loaded: number;
}

export function createProgressMeter(options: ProgressMeterOptions): ProgressMeter {
  const windowMs = options.windowMs ?? 3000;
  const total = options.totalBytes;
  let loaded = Math.min(total, Math.max(0, options.initialLoaded ?? 0));
  const samples: Sample[] = [{ atMs: options.now(), loaded }];

  const rate = (): number => {
    const last = samples[samples.length - 1];
    const first = samples[0];
    if (!first || !last || last.atMs <= first.atMs) return 0;
    return Math.round(((last.loaded - first.loaded) * 1000) / (last.atMs - first.atMs));
  };
  const current = (): UploadProgress => ({ loaded, total, bytesPerSecond: rate(), attempt: options.attempt });
  const advance = (next: number): UploadProgress | undefined => {
    if (next <= loaded) return undefined;
    loaded = next;
    const atMs = options.now();
    samples.push({ atMs, loaded });
    // Keep one sample at or before the window start so the rate spans the whole window.
    while (samples.length > 2 && (samples[1]?.atMs ?? atMs) <= atMs - windowMs) samples.shift();
    return current();
  };

  return {
    update: (bodyLoaded, bodyTotal) => {
      if (bodyTotal <= 0 || total === 0) return undefined;
      return advance(Math.min(total, Math.floor((Math.min(bodyLoaded, bodyTotal) * total) / bodyTotal)));
    },
    complete: () => advance(total),
    current,
  };
}
