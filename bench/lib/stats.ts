// Median/min/max over repeated runs, and the formatting every bench table uses. Figures are read as
// ratios against baselines measured in the same run (perf-notes §0 noise warning).

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

function round(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 || digits === 0 ? Math.round(value).toString() : value.toFixed(digits);
}

/** `median [min..max]` with the given significant decimals. */
export function formatSpread(spread: Spread, digits = 1): string {
  if (spread.n === 0) return 'n/a';
  if (spread.n === 1) return round(spread.median, digits);
  return `${round(spread.median, digits)} [${round(spread.min, digits)}..${round(spread.max, digits)}]`;
}

export function formatRatio(value: number, base: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(base) || base === 0) return 'n/a';
  return `${(value / base).toFixed(2)}×`;
}

export const mib = 1024 * 1024;
export const gib = 1024 * mib;

/** MB/s in 10^6 bytes per second (perf-notes convention). */
export function toMbPerSecond(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}
