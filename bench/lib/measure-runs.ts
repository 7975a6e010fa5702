// Interleaved repeated runs over several targets: run r of every target before run r+1 of any, so a
// noisy minute on the shared VM hurts all targets alike (perf-notes §0).
import { startProcessMeter } from './proc-metrics.js';
import { formatSpread, summarize, type Spread } from './stats.js';

export interface RunTarget {
  readonly name: string;
  /** Server process measured for CPU and peak RSS (undefined: not measured). */
  readonly pid: number | undefined;
  /** One timed run; returns the figure (e.g. MB/s) or throws with what went wrong. */
  run(index: number): Promise<number>;
}

export interface TargetResult {
  readonly name: string;
  readonly figure: Spread;
  readonly cpuSeconds: Spread;
  readonly peakRssBytes: Spread;
  readonly errors: string[];
}

export async function measureInterleaved(
  targets: readonly RunTarget[],
  repeats: number,
): Promise<TargetResult[]> {
  const raw = targets.map(() => ({
    figures: [] as number[],
    cpu: [] as number[],
    rss: [] as number[],
    errors: [] as string[],
  }));
  for (let index = 0; index < repeats; index++) {
    for (const [i, target] of targets.entries()) {
      const slot = raw[i]!;
      const meter = target.pid === undefined ? undefined : startProcessMeter(target.pid);
      try {
        slot.figures.push(await target.run(index));
        const usage = meter?.stop();
        if (usage !== undefined) {
          slot.cpu.push(usage.cpuSeconds);
          slot.rss.push(usage.peakRssBytes);
        }
      } catch (error) {
        slot.errors.push(`${target.name}: ${(error as Error).message}`);
      }
    }
  }
  return targets.map((target, i) => ({
    name: target.name,
    figure: summarize(raw[i]!.figures),
    cpuSeconds: summarize(raw[i]!.cpu),
    peakRssBytes: summarize(raw[i]!.rss),
    errors: raw[i]!.errors,
  }));
}

export function formatMb(spread: Spread): string {
  return formatSpread(
    { ...spread, median: spread.median / 1e6, min: spread.min / 1e6, max: spread.max / 1e6 },
    0,
  );
}

/** "met" / "MISSED" line for docs and console. */
export function verdict(label: string, ok: boolean, detail: string): string {
  return `${ok ? 'target met' : 'TARGET MISSED'}: ${label} — ${detail}`;
}
