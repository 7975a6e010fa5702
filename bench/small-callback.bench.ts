// Scenario 3: 4 KiB PostObject forms with a signed callback to an app-kit callback handler that records to
// SQLite, 64 connections (wrk, pre-built bodies, one ticket each), against the same Upcall scenario
// without a callback. Reports uploads/s, p50, p99 and each process's CPU.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadSeconds, quick } from './lib/bench-settings.js';
import { startUpcall } from './lib/bench-servers.js';
import { startChildServer } from './lib/child-server.js';
import { makeFreshDir } from './lib/input-file.js';
import { buildOssV4Fields } from './lib/oss-form.js';
import { startProcessMeter } from './lib/proc-metrics.js';
import { ensureWrk, runWrk, type WrkResult } from './lib/run-wrk.js';
import { buildSmallFormBody, smallFormBoundary, writeBodies } from './lib/small-form-bodies.js';
import { verdict } from './lib/measure-runs.js';

const connections = 64;
const contentType = `multipart/form-data; boundary=${smallFormBoundary}`;

interface Measured extends WrkResult {
  readonly serverCpu: number;
  readonly appCpu: number | undefined;
  readonly bodies: number;
}

function row(name: string, result: Measured, base: Measured | undefined): Record<string, string> {
  const uploads = Math.max(0, result.requestsPerSecond - result.non2xx / loadSeconds);
  return {
    scenario: name,
    'uploads/s (2xx)': Math.round(uploads).toString(),
    'vs no-callback':
      base === undefined ? '1.00×' : `${(result.requestsPerSecond / base.requestsPerSecond).toFixed(2)}×`,
    'p50 ms': result.p50Ms.toFixed(1),
    'p99 ms': result.p99Ms.toFixed(1),
    'non-2xx': result.non2xx.toString(),
    'Upcall CPU s': result.serverCpu.toFixed(1),
    'app CPU s': result.appCpu === undefined ? '—' : result.appCpu.toFixed(1),
    'wrk CPU s': result.wrkCpuSeconds.toFixed(1),
  };
}

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const title = `Scenario 3: 4 KiB PostObject uploads, ${connections} connections, ${loadSeconds} s`;
  if (!ensureWrk())
    return { title, rows: [], notes: ['skipped: wrk is not installed and apt-get install wrk failed'] };
  const count = quick ? 4000 : 10000;
  const dir = makeFreshDir('small');
  const upcall = await startUpcall('upcall-small');
  const { url, bucket, accessKeyId, accessKeySecret } = upcall.info;
  try {
    // Without callback: forms signed here, one key each.
    const file = randomBytes(4096);
    const plain = Array.from({ length: count }, (_, i) =>
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
    await writeBodies(join(dir, 'plain.data'), join(dir, 'plain.lengths'), plain);
    const app = await startChildServer<{ url: string }>({
      script: 'callback-app-server.ts',
      args: [
        JSON.stringify({
          upcall: upcall.info,
          count,
          dataPath: join(dir, 'cb.data'),
          lengthsPath: join(dir, 'cb.lengths'),
          dbPath: join(dir, 'records.sqlite'),
        }),
      ],
      profileName: 'callback-app',
    });
    try {
      const measure = async (prefix: string, appPid: number | undefined): Promise<Measured> => {
        const server = startProcessMeter(upcall.pid);
        const appMeter = appPid === undefined ? undefined : startProcessMeter(appPid);
        const result = await runWrk({
          url: `${url}/${bucket}`,
          seconds: loadSeconds,
          connections,
          luaArgs: [join(dir, `${prefix}.data`), join(dir, `${prefix}.lengths`), `/${bucket}`, contentType],
        });
        return {
          ...result,
          serverCpu: server.stop().cpuSeconds,
          appCpu: appMeter?.stop().cpuSeconds,
          bodies: count,
        };
      };
      const without = await measure('plain', undefined);
      const withCallback = await measure('cb', app.pid);
      const replayShare = Math.max(0, 1 - count / (withCallback.requestsPerSecond * loadSeconds));
      return {
        title,
        rows: [
          row('PostObject, no callback (baseline)', without, undefined),
          row('PostObject + signed callback → app-kit + SQLite', withCallback, without),
        ],
        notes: [
          `wrk -t1 -c${connections} --latency with a Lua script cycling through ${count} pre-built bodies per scenario; Upcall, the app server and wrk share the 2 cores.`,
          `Tickets: issueUploadTicket (pending record in a file SQLite DB) before the timed run; forbid-overwrite is on, so a body sent a second time (${(replayShare * 100).toFixed(0)}% of requests this run) is answered 409 and counted as non-2xx.`,
          verdict(
            'scenario 3 ≥ 2000 uploads/s with callback, p99 ≤ 50 ms',
            withCallback.requestsPerSecond - withCallback.non2xx / loadSeconds >= 2000 &&
              withCallback.p99Ms <= 50,
            `${Math.round(withCallback.requestsPerSecond - withCallback.non2xx / loadSeconds)}/s, p99 ${withCallback.p99Ms.toFixed(1)} ms`,
          ),
          'Load generator choice: wrk (C, one thread) used ~0.2–0.4 CPU-s per 10k requests in this run (column wrk CPU s); a Node http load generator needs several times that per request (perf-notes §5 cross-check), so wrk leaves more of the 2 cores to the servers.',
        ],
      };
    } finally {
      await app.stop();
    }
  } finally {
    await upcall.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
