// Scenario 6: a 1 GiB file via ali-oss `multipartUpload` (parallel 4) against ONE PutObject of the same
// file, same Upcall server, same run, interleaved repeats. Baselines: ali-oss `put` (same client, one
// request: the ratio isolates multipart itself) and `curl -T` (scenario 2's client, for comparability
// with that table). The ali-oss client runs in this bench process, so its CPU is shown apart from the
// server's. Each object is deleted after its run (untimed) so the data directory stays small.
import { createRequire } from 'node:module';
import { curlPut } from './lib/curl.js';
import { largeBytes, repeats } from './lib/bench-settings.js';
import { startUpcall } from './lib/bench-servers.js';
import { ensureInputFile, type InputFile } from './lib/input-file.js';
import { createAliOssBenchClient, type AliOssBenchClient } from './lib/ali-oss-client.js';
import { formatMb, measureInterleaved, type RunTarget, type TargetResult } from './lib/measure-runs.js';
import { formatRatio, formatSpread, mib, summarize, toMbPerSecond } from './lib/stats.js';
import type { BenchReport } from './lib/write-bench-doc.js';

const parallel = 4;
/** Part sizes timed (MiB): ali-oss' default (1 MiB, 1,024 parts per GiB) and a larger one. */
const partSizesMib = (process.env.BENCH_PART_MIB ?? '1,8').split(',').map(Number);

interface Timed {
  readonly target: RunTarget;
  /** CPU seconds of this process (the ali-oss client) per run; empty for curl. */
  readonly clientCpu: number[];
  /** Seconds from the last part's answer to CompleteMultipartUpload's (multipart rows only). */
  readonly completeSeconds: number[];
}

/** What one send reports beyond its wall time: when the last part was answered (multipart only). */
type Send = (key: string) => Promise<{ lastPartAt?: bigint }>;

async function checkStored(client: AliOssBenchClient, key: string, bytes: number): Promise<void> {
  const head = await client.head(key);
  const length = Number(head.res.headers['content-length']);
  if (length !== bytes) throw new Error(`${key}: stored ${length} bytes, sent ${bytes}`);
  await client.delete(key);
}

function aliOssTarget(
  name: string,
  pid: number,
  input: InputFile,
  client: AliOssBenchClient,
  send: Send,
): Timed {
  const clientCpu: number[] = [];
  const completeSeconds: number[] = [];
  return {
    clientCpu,
    completeSeconds,
    target: {
      name,
      pid,
      run: async (index) => {
        const key = `multipart/${name.replace(/\W+/g, '-')}-${index}.bin`;
        const cpu = process.cpuUsage();
        const start = process.hrtime.bigint();
        const { lastPartAt } = await send(key);
        const end = process.hrtime.bigint();
        const seconds = Number(end - start) / 1e9;
        if (lastPartAt !== undefined) completeSeconds.push(Number(end - lastPartAt) / 1e9);
        const used = process.cpuUsage(cpu);
        clientCpu.push((used.user + used.system) / 1e6);
        await checkStored(client, key, input.bytes);
        return toMbPerSecond(input.bytes, seconds);
      },
    },
  };
}

/** multipartUpload, noting when the last part was answered (ali-oss reports progress after each part). */
async function sendMultipart(
  client: AliOssBenchClient,
  key: string,
  path: string,
  partSize: number,
): Promise<{ lastPartAt?: bigint }> {
  let lastPartAt: bigint | undefined;
  const progress = (fraction: number): void => {
    if (fraction > 0 && fraction < 1) lastPartAt = process.hrtime.bigint();
  };
  await client.multipartUpload(key, path, { parallel, partSize, progress });
  return lastPartAt === undefined ? {} : { lastPartAt };
}

function curlTarget(pid: number, input: InputFile, bucketUrl: string, client: AliOssBenchClient): Timed {
  return {
    clientCpu: [],
    completeSeconds: [],
    target: {
      name: 'curl -T PutObject (scenario 2 client)',
      pid,
      run: async (index) => {
        const key = `multipart/curl-${index}.bin`;
        const result = await curlPut(`${bucketUrl}/${key}`, input.path);
        if (result.status !== 200) throw new Error(`curl -T answered ${result.status}`);
        await checkStored(client, key, input.bytes);
        return toMbPerSecond(input.bytes, result.seconds);
      },
    },
  };
}

function rows(results: TargetResult[], timed: Timed[]): Array<Record<string, string>> {
  const [base, curl] = [results[0]!, results[1]!];
  return results.map((result, i) => ({
    upload: result.name,
    'MB/s median [min..max]': formatSpread(result.figure, 0),
    'vs one ali-oss put': formatRatio(result.figure.median, base.figure.median),
    'vs one curl -T put': formatRatio(result.figure.median, curl.figure.median),
    'server CPU s': formatSpread(result.cpuSeconds, 2),
    'peak RSS MB': formatMb(result.peakRssBytes),
    'Complete s':
      timed[i]!.completeSeconds.length === 0 ? '—' : formatSpread(summarize(timed[i]!.completeSeconds), 2),
    'client CPU s':
      timed[i]!.clientCpu.length === 0 ? '— (curl)' : formatSpread(summarize(timed[i]!.clientCpu), 2),
  }));
}

export async function runBench(): Promise<BenchReport> {
  const input = await ensureInputFile(largeBytes);
  // public-read-write only so the curl row can PUT anonymously; ali-oss signs every request anyway.
  const upcall = await startUpcall('upcall-multipart', { BENCH_BUCKET_ACL: 'public-read-write' });
  const client = createAliOssBenchClient(upcall.info);
  const bucketUrl = `${upcall.info.url}/${upcall.info.bucket}`;
  try {
    const timed: Timed[] = [
      aliOssTarget('ali-oss put: one PutObject (baseline)', upcall.pid, input, client, async (key) => {
        await client.put(key, input.path);
        return {};
      }),
      curlTarget(upcall.pid, input, bucketUrl, client),
      ...partSizesMib.map((partMib) =>
        aliOssTarget(
          `ali-oss multipartUpload, parallel ${parallel}, ${partMib} MiB parts (${Math.ceil(input.bytes / (partMib * mib))})`,
          upcall.pid,
          input,
          client,
          (key) => sendMultipart(client, key, input.path, partMib * mib),
        ),
      ),
    ];
    const results = await measureInterleaved(
      timed.map((t) => t.target),
      repeats,
    );
    const [base, curl] = [results[0]!.figure.median, results[1]!.figure.median];
    return {
      title: `Scenario 6: ${input.bytes / 2 ** 20} MiB multipart upload (ali-oss, parallel ${parallel}) vs one PutObject`,
      rows: rows(results, timed),
      notes: [
        `ali-oss ${aliOssVersion()} in the bench process (V1 signatures, IP endpoint), n=${repeats} interleaved; MB/s = 10^6 B/s of file content, timed from the first request to CompleteMultipartUpload's answer (column Complete s: from the last part's answer to Complete's, i.e. the server assembling the object); every object's size is checked with HEAD, then it is deleted (untimed).`,
        ...partSizesMib.map((partMib, i) => {
          const figure = results[2 + i]!.figure.median;
          return `multipart with ${partMib} MiB parts at ${formatRatio(figure, base)} one ali-oss put and ${formatRatio(figure, curl)} one curl -T put of the same file (no target in the issue).`;
        }),
        'Server CPU and peak RSS are the Upcall process; client CPU is this process (ali-oss) — on 2 cores the client competes with the server.',
        ...results.flatMap((result) => result.errors),
      ],
    };
  } finally {
    await upcall.stop();
  }
}

function aliOssVersion(): string {
  try {
    return (createRequire(import.meta.url)('ali-oss/package.json') as { version: string }).version;
  } catch {
    return '';
  }
}
