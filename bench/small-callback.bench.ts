// Scenario 3: 4 KiB PostObject forms with a signed callback to an app-kit callback handler that records to
// SQLite, 64 connections (wrk, pre-built bodies, one ticket each), against the same Upcall scenario
// without a callback and s3rver's POST Object of the same 4 KiB file (S3 form fields; s3rver checks
// neither policy nor signature). The triple is measured `repeats` times, interleaved (fresh Upcall bodies
// each time: with forbid-overwrite a body sent twice is a 409); reports median [min..max] of uploads/s,
// p50, p99, the per-triple ratios, and each process's CPU per upload.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadSeconds, quick, repeats } from './lib/bench-settings.js';
import { startS3rver, startUpcall } from './lib/bench-servers.js';
import { startChildServer } from './lib/child-server.js';
import { makeFreshDir } from './lib/input-file.js';
import { buildOssV4Fields } from './lib/oss-form.js';
import { signS3PostFields } from './lib/sign-s3-v4.js';
import { startProcessMeter } from './lib/proc-metrics.js';
import { ensureWrk, runWrk, type WrkResult } from './lib/run-wrk.js';
import { buildSmallFormBody, smallFormBoundary, writeBodies } from './lib/small-form-bodies.js';
import { verdict } from './lib/measure-runs.js';
import { formatSpread, summarize } from './lib/stats.js';

const connections = 64;
const contentType = `multipart/form-data; boundary=${smallFormBoundary}`;

interface Measured extends WrkResult {
  readonly serverCpu: number;
  readonly appCpu: number | undefined;
}

const uploadsPerSecond = (m: Measured): number => Math.max(0, m.requestsPerSecond - m.non2xx / loadSeconds);
/** CPU milliseconds per 2xx upload. */
const cpuMsPerUpload = (cpuSeconds: number, m: Measured): number =>
  (cpuSeconds * 1000) / Math.max(1, uploadsPerSecond(m) * loadSeconds);

function spreadOf(runs: readonly Measured[], pick: (m: Measured) => number, digits = 1): string {
  return formatSpread(summarize(runs.map(pick)), digits);
}

/** Ratios per interleaved triple, then their median: the runs of one triple saw the same VM load. */
function ratioSpread(runs: readonly Measured[], bases: readonly Measured[] | undefined) {
  return summarize(
    bases === undefined ? [] : runs.map((m, i) => uploadsPerSecond(m) / uploadsPerSecond(bases[i]!)),
  );
}

function row(
  name: string,
  runs: readonly Measured[],
  bases: { plain?: readonly Measured[]; s3rver?: readonly Measured[] },
): Record<string, string> {
  const ratio = (others: readonly Measured[] | undefined): string =>
    others === undefined || others === runs ? '1.00×' : `${formatSpread(ratioSpread(runs, others), 2)}×`;
  return {
    scenario: name,
    'uploads/s (2xx)': spreadOf(runs, uploadsPerSecond, 0),
    'vs no-callback': bases.plain === undefined ? '—' : ratio(bases.plain),
    'vs s3rver': ratio(bases.s3rver),
    'p50 ms': spreadOf(runs, (m) => m.p50Ms),
    'p99 ms': spreadOf(runs, (m) => m.p99Ms),
    'non-2xx': runs.map((m) => m.non2xx).join('/'),
    'server CPU ms/upload': spreadOf(runs, (m) => cpuMsPerUpload(m.serverCpu, m), 2),
    'app CPU ms/upload':
      runs[0]?.appCpu === undefined
        ? '—'
        : spreadOf(runs, (m) => cpuMsPerUpload(m.appCpu ?? Number.NaN, m), 2),
    'wrk CPU s': spreadOf(runs, (m) => m.wrkCpuSeconds),
  };
}

/** s3rver's bodies: the same 4 KiB file under S3 V4 form fields, written once (s3rver allows overwrites). */
async function writeS3rverBodies(dir: string, bucket: string, count: number, file: Buffer): Promise<void> {
  const creds = { accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };
  const bodies = Array.from({ length: count }, (_, i) =>
    buildSmallFormBody(
      signS3PostFields(creds, { bucket, key: `small/s3rver-${i}.bin`, maxBytes: 65536 }),
      file,
    ),
  );
  await writeBodies(join(dir, 's3rver.data'), join(dir, 's3rver.lengths'), bodies);
}

function targetNotes(runs: { s3rver: Measured[]; plain: Measured[]; callback: Measured[] }): string[] {
  const best = summarize(runs.callback.map(uploadsPerSecond)).median;
  const p99 = summarize(runs.callback.map((m) => m.p99Ms)).median;
  const vsS3rver = ratioSpread(runs.callback, runs.s3rver).median;
  const plainVsS3rver = ratioSpread(runs.plain, runs.s3rver).median;
  return [
    verdict(
      'scenario 3 ≥ 2000 uploads/s with callback, p99 ≤ 50 ms',
      best >= 2000 && p99 <= 50,
      `${Math.round(best)}/s, p99 ${p99.toFixed(1)} ms (medians)`,
    ),
    verdict(
      "scenario 3 ≥ 1.5× s3rver's plain POST rate",
      vsS3rver >= 1.5,
      `${vsS3rver.toFixed(2)}× with callback (median of per-triple ratios); without callback ${plainVsS3rver.toFixed(2)}×`,
    ),
  ];
}

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const title = `Scenario 3: 4 KiB PostObject uploads, ${connections} connections, ${loadSeconds} s`;
  if (!ensureWrk())
    return { title, rows: [], notes: ['skipped: wrk is not installed and apt-get install wrk failed'] };
  // Enough distinct bodies for 10 s at 2 500 uploads/s: a body sent twice is a 409, not an upload.
  const count = quick ? 4000 : 25000;
  const dir = makeFreshDir('small');
  const upcall = await startUpcall('upcall-small');
  const s3rver = await startS3rver();
  const { url, bucket, accessKeyId, accessKeySecret } = upcall.info;
  try {
    // Without callback: forms signed here, one key each.
    const file = randomBytes(4096);
    const plain = Array.from({ length: count * repeats }, (_, i) =>
      buildSmallFormBody(
        buildOssV4Fields({
          accessKeyId,
          accessKeySecret,
          bucket,
          key: `small/plain-${i}.bin`,
          maxBytes: 65536,
        }),
        file,
      ),
    );
    for (let r = 0; r < repeats; r++) {
      const slice = plain.slice(r * count, (r + 1) * count);
      await writeBodies(join(dir, `plain.data.${r}`), join(dir, `plain.lengths.${r}`), slice);
    }
    await writeS3rverBodies(dir, s3rver.info.bucket, count, file);
    const app = await startChildServer<{ url: string }>({
      script: 'callback-app-server.ts',
      args: [
        JSON.stringify({
          upcall: upcall.info,
          count,
          repeats,
          dataPath: join(dir, 'cb.data'),
          lengthsPath: join(dir, 'cb.lengths'),
          dbPath: join(dir, 'records.sqlite'),
        }),
      ],
      profileName: 'callback-app',
    });
    try {
      const measure = async (
        target: { url: string; bucket: string; pid: number },
        files: string,
        appPid: number | undefined,
      ): Promise<Measured> => {
        const server = startProcessMeter(target.pid);
        const appMeter = appPid === undefined ? undefined : startProcessMeter(appPid);
        const result = await runWrk({
          url: `${target.url}/${target.bucket}`,
          seconds: loadSeconds,
          connections,
          luaArgs: [
            join(dir, files.replace('*', 'data')),
            join(dir, files.replace('*', 'lengths')),
            `/${target.bucket}`,
            contentType,
          ],
        });
        return { ...result, serverCpu: server.stop().cpuSeconds, appCpu: appMeter?.stop().cpuSeconds };
      };
      const ours = { url, bucket, pid: upcall.pid };
      const theirs = { ...s3rver.info, pid: s3rver.pid };
      const runs = { s3rver: [] as Measured[], plain: [] as Measured[], callback: [] as Measured[] };
      for (let r = 0; r < repeats; r++) {
        runs.s3rver.push(await measure(theirs, 's3rver.*', undefined));
        runs.plain.push(await measure(ours, `plain.*.${r}`, undefined));
        runs.callback.push(await measure(ours, `cb.*.${r}`, app.pid));
      }
      const replays = runs.callback.reduce((sum, m) => sum + m.non2xx, 0);
      const bases = { plain: runs.plain, s3rver: runs.s3rver };
      return {
        title,
        rows: [
          row('s3rver 3.7 POST Object, no callback (baseline)', runs.s3rver, { s3rver: runs.s3rver }),
          row('Upcall PostObject, no callback (baseline)', runs.plain, bases),
          row('Upcall PostObject + signed callback → app-kit + SQLite', runs.callback, bases),
        ],
        notes: [
          `wrk -t1 -c${connections} --latency with a Lua script cycling through ${count} pre-built bodies per run; n=${repeats} interleaved triples (s3rver, Upcall without callback, Upcall with callback), median [min..max]; the server, the app server and wrk share the 2 cores.`,
          `Tickets: issueUploadTicket (pending record in a file SQLite DB, 64 at a time) before the timed runs; forbid-overwrite is on, so a body sent a second time is answered 409 and counted as non-2xx (${replays} with callback over all runs).`,
          's3rver gets the same 4 KiB file with S3 V4 form fields (it checks neither policy nor signature) and stores it with MD5 only: no CRC-64, no fsync, no index; "server CPU" is the s3rver process on its row.',
          ...targetNotes(runs),
          'Load generator choice: wrk (C, one thread; its own CPU per run is the column wrk CPU s, a few tens of µs per request); a Node http load generator needs several times that per request (perf-notes §5 cross-check), so wrk leaves more of the 2 cores to the servers.',
        ],
      };
    } finally {
      await app.stop();
    }
  } finally {
    await Promise.all([upcall.stop(), s3rver.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}
