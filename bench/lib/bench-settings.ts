// Run-size knobs. BENCH_QUICK=1 makes every scenario a single short pass (for iterating on the benches
// themselves); the full run repeats each measurement and must still finish in under 15 minutes.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const quick = process.env.BENCH_QUICK === '1';

/** Repetitions of each timed measurement (median, min and max are reported over these). */
export const repeats = Number(process.env.BENCH_REPEATS ?? (quick ? 1 : 3));

/** Size of the large-upload scenarios (1 GiB per the issue; BENCH_LARGE_MIB overrides). */
export const largeBytes = Number(process.env.BENCH_LARGE_MIB ?? 1024) * 1024 * 1024;

/** Seconds of load for the small-upload scenario (≥ 10 s per the issue). */
export const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? (quick ? 5 : 10));

/** Scratch space: input files and fresh data directories (perf-notes §1: fresh directories per run). */
export const scratchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'upcall-bench');

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where `--cpu-prof` files go when BENCH_CPU_PROF is set (a directory). */
export const cpuProfDir = process.env.BENCH_CPU_PROF;
