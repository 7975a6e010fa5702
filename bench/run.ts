// `npm run bench [name-substring ...]`: imports every bench/*.bench.ts, runs its exported `runBench()` in
// turn and prints one table per bench. Figures are meant to be read as ratios against baselines measured
// in the same run (perf-notes §8: absolute MB/s move 20–40% between runs on a shared VM).
//
// Contract for a bench file: `export async function runBench(): Promise<BenchReport>` where
// BenchReport = { title: string; rows: Array<Record<string, string | number>>; notes?: string[] }.
//
// A run without filters (or with BENCH_WRITE_DOC=1) also writes docs/benchmarks.md (lib/write-bench-doc.ts).
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { writeBenchDoc, type BenchReport } from './lib/write-bench-doc.js';
import { stopCephRgwIfStarted } from './lib/ceph-rgw.js';

function isBenchReport(value: unknown): value is BenchReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Partial<BenchReport>;
  return typeof report.title === 'string' && Array.isArray(report.rows);
}

const reports: BenchReport[] = [];

async function runFile(path: string): Promise<boolean> {
  const module = (await import(pathToFileURL(path).href)) as { runBench?: unknown };
  if (typeof module.runBench !== 'function') {
    console.error(`${path}: does not export runBench()`);
    return false;
  }
  let report: unknown;
  try {
    report = await (module.runBench as () => Promise<unknown>)();
  } catch (error) {
    // One broken scenario must not hide the others' figures: record the failure and go on.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${path}: ${message}`);
    reports.push({
      title: `${path.split('/').pop() ?? path}: FAILED`,
      rows: [],
      notes: [`error: ${message}`],
    });
    return false;
  }
  if (!isBenchReport(report)) {
    console.error(`${path}: runBench() did not return { title, rows }`);
    return false;
  }
  reports.push(report);
  console.log(`\n## ${report.title}`);
  console.table(report.rows);
  for (const note of report.notes ?? []) console.log(`  ${note}`);
  return true;
}

async function main(): Promise<void> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const filters = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.bench.ts'))
    .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
    .sort();
  if (files.length === 0) {
    console.error('no bench files matched');
    process.exitCode = 1;
    return;
  }
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  const startLoad = loadavg();
  const startedMs = Date.now();
  let ok = true;
  // Ceph RGW is started on demand by the scenarios that need it; one this run started is stopped here
  // (also on Ctrl-C), one that was already running is left alone.
  process.once('SIGINT', () => {
    void stopCephRgwIfStarted().finally(() => process.exit(130));
  });
  try {
    for (const file of files) ok = (await runFile(join(dir, file))) && ok;
  } finally {
    const stopped = await stopCephRgwIfStarted();
    if (stopped !== undefined) console.log(stopped);
  }
  console.log(`\nbench finished in ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
  if (filters.length === 0 || process.env.BENCH_WRITE_DOC === '1')
    console.log(`wrote ${writeBenchDoc(reports, startLoad)}`);
  if (!ok) process.exitCode = 1;
}

await main();
