// Scenario 5b: server peak RSS while 200 PostObject forms of 10 MiB each arrive at once (one Node client
// process, streaming). Baseline: the Node pipe + MD5 + CRC-64 + fsync server with the same load (it
// ignores the form and stores the raw body), and both servers' idle RSS, so the per-upload cost shows.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { quick, repoRoot, repeats } from './lib/bench-settings.js';
import { startNodeBaseline, startUpcall } from './lib/bench-servers.js';
import { readRssBytes } from './lib/proc-metrics.js';
import { formatMb, measureInterleaved, verdict, type RunTarget } from './lib/measure-runs.js';
import { formatSpread, toMbPerSecond } from './lib/stats.js';

const concurrency = 200;
const fileBytes = 10 * 1024 * 1024;

function runClient(target: {
  url: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
}): Promise<{ seconds: number; statuses: Record<string, number> }> {
  const script = join(repoRoot, 'bench', 'load', 'concurrent-uploads.ts');
  const options = JSON.stringify({ ...target, concurrency, fileBytes });
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, options],
      { cwd: repoRoot, maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error) return reject(new Error(error.message, { cause: error }));
        const line = stdout.split('\n').find((l) => l.startsWith('DONE '));
        if (line === undefined) return reject(new Error('load client printed no result'));
        resolve(JSON.parse(line.slice(5)) as { seconds: number; statuses: Record<string, number> });
      },
    );
  });
}

function target(
  name: string,
  pid: number,
  info: { url: string; bucket: string; accessKeyId: string; accessKeySecret: string },
  okStatuses: string[],
): RunTarget {
  return {
    name,
    pid,
    run: async () => {
      const result = await runClient(info);
      const ok = okStatuses.reduce((sum, status) => sum + (result.statuses[status] ?? 0), 0);
      if (ok !== concurrency) throw new Error(`statuses ${JSON.stringify(result.statuses)}`);
      return toMbPerSecond(concurrency * fileBytes, result.seconds);
    },
  };
}

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const upcall = await startUpcall('upcall-concurrent');
  const base = await startNodeBaseline('hash-fsync');
  const idle = { upcall: readRssBytes(upcall.pid), base: readRssBytes(base.pid) };
  try {
    const results = await measureInterleaved(
      [
        target('Upcall PostObject', upcall.pid, upcall.info, ['204', '200']),
        target(
          'Node http: pipe + MD5 + CRC-64 + fsync (baseline)',
          base.pid,
          { ...upcall.info, url: base.info.url },
          ['200'],
        ),
      ],
      quick ? 1 : Math.min(repeats, 2),
    );
    const rows = results.map((result, i) => ({
      server: result.name,
      'idle RSS MB': Math.round((i === 0 ? idle.upcall : idle.base) / 1e6).toString(),
      'peak RSS MB': formatMb(result.peakRssBytes),
      'aggregate MB/s': formatSpread(result.figure, 0),
      'server CPU s': formatSpread(result.cpuSeconds, 2),
    }));
    const peakMb = (results[0]?.peakRssBytes.max ?? Number.NaN) / 1e6;
    return {
      title: `Scenario 5b: ${concurrency} concurrent ${fileBytes / 2 ** 20} MiB PostObject uploads`,
      rows,
      notes: [
        'One Node client process, agent: false (200 sockets), 256 KiB writes with backpressure; peak RSS = VmHWM reset before each run.',
        verdict(
          'scenario 5 ≤ 400 MB peak RSS for 200 concurrent uploads',
          peakMb <= 400,
          `${Math.round(peakMb)} MB (max over runs)`,
        ),
        ...results.flatMap((result) => result.errors),
      ],
    };
  } finally {
    await Promise.all([upcall.stop(), base.stop()]);
  }
}
