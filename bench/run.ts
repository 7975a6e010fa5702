// `npm run bench [name-substring ...]`: imports every bench/*.bench.ts, runs its exported `runBench()` in
// turn and prints one table per bench. Figures are meant to be read as ratios against baselines measured
// in the same run (perf-notes §8: absolute MB/s move 20–40% between runs on a shared VM).
//
// Contract for a bench file: `export async function runBench(): Promise<BenchReport>` where
// BenchReport = { title: string; rows: Array<Record<string, string | number>>; notes?: string[] }.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

interface BenchReport {
  title: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}

function isBenchReport(value: unknown): value is BenchReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Partial<BenchReport>;
  return typeof report.title === 'string' && Array.isArray(report.rows);
}

async function runFile(path: string): Promise<boolean> {
  const module = (await import(pathToFileURL(path).href)) as { runBench?: unknown };
  if (typeof module.runBench !== 'function') {
    console.error(`${path}: does not export runBench()`);
    return false;
  }
  const report: unknown = await (module.runBench as () => Promise<unknown>)();
  if (!isBenchReport(report)) {
    console.error(`${path}: runBench() did not return { title, rows }`);
    return false;
  }
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
  let ok = true;
  for (const file of files) ok = (await runFile(join(dir, file))) && ok;
  if (!ok) process.exitCode = 1;
}

await main();
