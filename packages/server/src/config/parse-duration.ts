// Durations on the command line (`--grace-period 24h`): a whole number and one unit, or `0`.
import type { Parser } from './flag-reader.js';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest accepted duration (a year): anything longer is a typo, not a grace period. */
export const maxDurationMs = 365 * unitMs.d;

export const parseDurationMs: Parser<number> = (text) => {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text.trim());
  const amount = Number(match?.[1]);
  const unit = match?.[2] as keyof typeof unitMs | undefined;
  if (match === null || (unit === undefined && amount !== 0)) {
    throw new Error('must be a number with a unit: ms, s, m, h or d (e.g. 90s, 30m, 24h, 7d), or 0');
  }
  const ms = amount * unitMs[unit ?? 'ms'];
  if (ms > maxDurationMs) throw new Error('must be at most 365d');
  return ms;
};
