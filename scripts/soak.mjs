#!/usr/bin/env node
// `npm run soak`: the full crash campaign of docs/reliability.md "Crash safety" — the CI test
// (test/reliability/crash-safety.test.ts, 100 uploads, 8 kills) at soak size: 500 uploads and 40
// SIGKILLs of a real `upcall server` child by default. Prints one line per server life and the counts;
// exits 1 if an acknowledged upload was lost or any invariant broke.
//   npm run soak -- --uploads 1000 --kills 80 --seed 42 --concurrency 8 --keep
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { runCrashCampaign } = await import('../test/reliability/support/crash-campaign.ts');
const { renderCrashReport } = await import('../test/reliability/support/crash-report.ts');

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '500' },
    kills: { type: 'string', default: '40' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    concurrency: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
  },
});

const positive = (name) => {
  const value = Number(values[name]);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`soak: --${name} must be a positive integer, got ${values[name]}`);
    process.exit(2);
  }
  return value;
};

const root = await mkdtemp(join(tmpdir(), 'upcall-soak-'));
const options = {
  dataDir: join(root, 'data'),
  uploads: positive('uploads'),
  kills: positive('kills'),
  seed: positive('seed'),
  concurrency: positive('concurrency'),
  log: (line) => console.log(line),
};
console.log(`soak: ${options.uploads} uploads, ${options.kills} kills, seed ${options.seed}, data ${root}`);
let report;
try {
  report = await runCrashCampaign(options);
} finally {
  if (!values.keep) await rm(root, { recursive: true, force: true });
}
console.log(renderCrashReport(report).join('\n'));
for (const problem of [...report.lost, ...report.violations]) console.error(`PROBLEM ${problem}`);
process.exitCode = report.lost.length + report.violations.length === 0 ? 0 : 1;
