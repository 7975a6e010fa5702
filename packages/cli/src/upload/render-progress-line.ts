// One file's progress as one line of text: a bar for terminals, a sentence for logs. Pure functions;
// create-progress-view.ts decides when to print them.
import type { UploadProgress } from '@upcall/client';

const byteUnits = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units with three significant digits at most: `512 B`, `1.50 KiB`, `27.0 MiB`, `105 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`;
  const exponent = Math.min(byteUnits.length, Math.floor(Math.log2(bytes) / 10));
  const scaled = bytes / 2 ** (10 * exponent);
  const digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
  return `${scaled.toFixed(digits)} ${byteUnits[exponent - 1] ?? 'B'}`;
}

/** Whole percent, 100 only when every byte is done (99.7 % shows as 99). */
export function formatPercent(progress: Pick<UploadProgress, 'loaded' | 'total'>): string {
  if (progress.total === 0) return '100%';
  return `${Math.floor((progress.loaded * 100) / progress.total)}%`;
}

function renderBar(progress: UploadProgress, width: number): string {
  const fraction = progress.total === 0 ? 1 : progress.loaded / progress.total;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** Keeps the end of a long name (the file name is more telling than its folders). */
function fitName(name: string, width: number): string {
  if (name.length <= width) return name.padEnd(width);
  return width <= 1 ? '…'.slice(0, width) : `…${name.slice(name.length - width + 1)}`;
}

function describeAmount(progress: UploadProgress): string {
  const amount = `${formatBytes(progress.loaded)} / ${formatBytes(progress.total)}`;
  const rate = progress.bytesPerSecond > 0 ? `  ${formatBytes(progress.bytesPerSecond)}/s` : '';
  const attempt = progress.attempt > 1 ? `  (attempt ${progress.attempt})` : '';
  return `${amount}${rate}${attempt}`;
}

export interface BarLineLayout {
  /** Terminal width: the line is cut to `columns - 1` so it never wraps (that would break redrawing). */
  readonly columns: number;
  /** The same for every file, so the bars line up and do not jitter as the numbers change. */
  readonly nameWidth: number;
}

/**
 * Room for the name: the rest of the line takes up to 64 columns (bar and percent 31, then amounts and
 * rate up to 31, or size and "stored, callback failed" 33); a retry's "(attempt N)" may be cut.
 */
export function computeNameWidth(names: readonly string[], columns: number): number {
  const longest = names.reduce((max, name) => Math.max(max, name.length), 0);
  return Math.max(12, Math.min(longest, columns - 1 - 64));
}

/**
 * `name  [#####-----]  45%  12.3 MiB / 27.0 MiB  4.10 MiB/s`; once the file is done, `status` replaces
 * the amounts: `name  [##########] 100%  27.0 MiB  done`.
 */
export function renderProgressBarLine(
  name: string,
  progress: UploadProgress,
  layout: BarLineLayout,
  status?: string,
): string {
  const detail =
    status === undefined ? describeAmount(progress) : `${formatBytes(progress.total)}  ${status}`;
  const line = `${fitName(name, layout.nameWidth)}  ${renderBar(progress, 20)} ${formatPercent(progress).padStart(4)}  ${detail}`;
  return line.slice(0, Math.max(1, layout.columns - 1));
}

/** `name: 45% (12.3 MiB / 27.0 MiB  4.10 MiB/s)` for logs and pipes. */
export function renderProgressLogLine(name: string, progress: UploadProgress): string {
  return `${name}: ${formatPercent(progress)} (${describeAmount(progress)})`;
}
