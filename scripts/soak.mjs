#!/usr/bin/env node
// `npm run soak`: the full crash campaign of docs/reliability.md "Crash safety" — the CI test
// (test/reliability/crash-safety.test.ts, 100 uploads, 8 kills) at soak size: 500 uploads and 40
// SIGKILLs of a real `upcall server` child by default. Prints one line per server life and the counts;
// exits 1 if an acknowledged upload was lost or any invariant broke. Then (unless --fuzz-runs 0) it runs
// every property-based fuzz suite at --fuzz-runs inputs per property (the CI default is 100–1 000) with a
// fast-check reporter that counts the inputs, and prints the figures docs/reliability.md reports:
// inputs tried, faults injected, objects acknowledged, objects lost, forged callbacks accepted.
//   npm run soak -- --uploads 1000 --kills 80 --seed 42 --concurrency 8 --keep --fuzz-runs 5000
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
    'fuzz-runs': { type: 'string', default: '2000' },
  },
});

const positive = (name, min = 1) => {
  const value = Number(values[name]);
  if (!Number.isSafeInteger(value) || value < min) {
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
const fuzzRuns = positive('fuzz-runs', 0);
const fuzz = fuzzRuns === 0 ? undefined : await runFuzzSuites(fuzzRuns, options.seed);
printFigures(report, fuzz);
const fuzzFailed = fuzz !== undefined && !fuzz.passed;
process.exitCode = report.lost.length + report.violations.length === 0 && !fuzzFailed ? 0 : 1;

/** The property-test files: every *.property.test.ts plus the live PostObject front-door fuzzer. */
function fuzzFiles() {
  return [
    'packages/protocol/src/policy/parse-policy.property.test.ts',
    'packages/protocol/src/policy/check-policy.property.test.ts',
    'packages/protocol/src/policy/strict-json.property.test.ts',
    'packages/protocol/src/callback/parse-callback-param.property.test.ts',
    'packages/protocol/src/callback/render-callback-body.property.test.ts',
    'packages/protocol/src/callback/callback-signature.property.test.ts',
    'packages/protocol/src/request-signature/verify-request-signature.property.test.ts',
    'packages/protocol/src/request-signature/sign-request.property.test.ts',
    'packages/app-kit/src/verify/verify-callback.property.test.ts',
    'packages/server/src/fuzz/post-object-fuzz.test.ts',
  ];
}

/** Runs the fuzz suites once at `runs` inputs per property; resolves with the counts per file. */
async function runFuzzSuites(runs, seed) {
  const root = new URL('..', import.meta.url).pathname;
  const logPath = join(await mkdtemp(join(tmpdir(), 'upcall-soak-fc-')), 'runs.tsv');
  console.log(`soak: fuzz suites at ${runs} inputs per property, seed ${seed}`);
  const counter = new URL('../test/reliability/support/fc-run-counter.mjs', import.meta.url).pathname;
  const args = [
    '--import',
    'tsx',
    '--import',
    counter,
    '--test',
    '--test-concurrency=1',
    '--test-reporter=dot',
  ];
  const env = { ...process.env, FC_RUNS: String(runs), FC_SEED: String(seed), SOAK_FC_LOG: logPath };
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [...args, ...fuzzFiles()], { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  const lines = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const perFile = new Map();
  const failedFiles = new Set();
  for (const line of lines) {
    const [file = '?', count = '0', failed = '0'] = line.split('\t');
    const name = file.split('/').pop();
    perFile.set(name, (perFile.get(name) ?? 0) + Number(count));
    if (failed === '1') failedFiles.add(name);
  }
  const total = [...perFile.values()].reduce((a, b) => a + b, 0);
  return { passed: code === 0, perFile, failedFiles, total };
}

function printFigures(crash, fuzz) {
  const forged = ['callback-signature.property.test.ts', 'verify-callback.property.test.ts'];
  const forgedTried = fuzz === undefined ? 0 : forged.reduce((n, f) => n + (fuzz.perFile.get(f) ?? 0), 0);
  if (fuzz !== undefined) {
    for (const [file, count] of fuzz.perFile) console.log(`  fuzz ${file}: ${count} inputs`);
  }
  console.log('soak figures:');
  console.log(`  inputs tried (fuzz):        ${fuzz === undefined ? 'not run' : fuzz.total}`);
  console.log(
    `  faults injected (kills):    ${crash.kills} (${crash.selfKills} at a fault point, ${crash.harnessKills} by the harness)`,
  );
  console.log(`  objects acknowledged:       ${crash.acknowledged} of ${crash.uploadsAttempted}`);
  console.log(`  objects lost:               ${crash.lost.length}`);
  console.log(
    `  forged callbacks accepted:  ${fuzz === undefined || forgedTried === 0 ? 'not measured' : forged.some((f) => fuzz.failedFiles.has(f)) ? 'SOME (see the failures above)' : 0} (of ${forgedTried} inputs of the callback-signature properties)`,
  );
}
