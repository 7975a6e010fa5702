// Scale-out throughput (issue 9, docs/scale-out.md): V4-signed PostObject uploads through ONE gateway
// instance (`upcall server --store s3`) versus round robin over THREE instances, all over the same Ceph
// RGW bucket, measured in the same run and interleaved (one, three, one, three, …) so load drift hits
// both alike. The load generator, the three gateways and Ceph (mon, OSD, radosgw) share one machine, so
// on 2 cores the ratio says how much the gateway itself limits, not how a real cluster scales.
// Skips (a note, no rows) when S3_ENDPOINT is unset or the backend does not answer.
// Run alone: `npm run bench scale-out` (BENCH_QUICK=1 for one short pass).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestS3Client,
  deleteBackendBuckets,
  newTestBucketPrefix,
  readS3TestConnection,
  s3SkipReason,
} from '../packages/server/src/store/s3-test-backend.js';
import {
  startUpcallInstances,
  writeCallbackKey,
  type UpcallInstance,
} from '../test/scale-out/support/upcall-instances.js';
import { loadSeconds, repeats } from './lib/bench-settings.js';
import type { BenchReport } from './lib/write-bench-doc.js';
import { buildOssV4Fields } from './lib/oss-form.js';
import { formatRatio, formatSpread, mib, summarize, toMbPerSecond } from './lib/stats.js';

const access = { accessKeyId: 'BENCHSCALEOUTKEY', accessKeySecret: 'bench-scale-out-secret' };
const bodyBytes = 1 * mib;
const concurrency = 12;
const bucket = 'uploads';

interface Pass {
  readonly uploads: number;
  readonly seconds: number;
}

async function postOnce(url: string, key: string, body: Blob): Promise<void> {
  const form = new FormData();
  for (const [name, value] of buildOssV4Fields({ ...access, bucket, key, maxBytes: 2 * bodyBytes }))
    form.append(name, value);
  form.append('file', body, 'bench.bin');
  const response = await fetch(`${url}/${bucket}`, { method: 'POST', body: form });
  const text = await response.text();
  if (response.status !== 204 && response.status !== 200)
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
}

/** `concurrency` workers post for `seconds`, worker i to urls[(i + n) mod urls.length] in turn. */
async function runPass(urls: readonly string[], label: string, seconds: number): Promise<Pass> {
  const body = new Blob([new Uint8Array(bodyBytes).fill(7)]);
  const startedMs = Date.now();
  const endMs = startedMs + seconds * 1000;
  let uploads = 0;
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; Date.now() < endMs; n += 1) {
      await postOnce(urls[(w + n) % urls.length]!, `bench/${label}/${w}-${n}.bin`, body);
      uploads += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return { uploads, seconds: (Date.now() - startedMs) / 1000 };
}

async function backendAnswers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function measure(instances: readonly UpcallInstance[]) {
  const one = [instances[0]!.url];
  const three = instances.map((instance) => instance.url);
  await runPass(three, 'warm-up', 2);
  const passes = { one: [] as Pass[], three: [] as Pass[] };
  for (let i = 0; i < repeats; i += 1) {
    passes.one.push(await runPass(one, `one-${i}`, loadSeconds));
    passes.three.push(await runPass(three, `three-${i}`, loadSeconds));
  }
  return passes;
}

function row(name: string, passes: readonly Pass[], base?: number) {
  const perSecond = summarize(passes.map((p) => p.uploads / p.seconds));
  const mbPerSecond = summarize(passes.map((p) => toMbPerSecond(p.uploads * bodyBytes, p.seconds)));
  return {
    perSecond,
    row: {
      target: name,
      'uploads/s': formatSpread(perSecond),
      'MB/s': formatSpread(mbPerSecond),
      'vs one instance': base === undefined ? '1.00×' : formatRatio(perSecond.median, base),
    },
  };
}

export async function runBench(): Promise<BenchReport> {
  const title = 'Scale-out: PostObject throughput through one vs three gateway instances over Ceph RGW';
  const connection = readS3TestConnection();
  if (connection === undefined || !(await backendAnswers(connection.endpoint ?? '')))
    return {
      title,
      rows: [],
      notes: [`skipped: ${connection === undefined ? s3SkipReason : 'backend not answering'}`],
    };
  const dir = await mkdtemp(join(tmpdir(), 'upcall-bench-scale-out-'));
  const prefix = newTestBucketPrefix();
  let instances: UpcallInstance[] = [];
  try {
    const callbackKeyFile = join(dir, 'callback-key.pem');
    await writeCallbackKey(callbackKeyFile);
    const settings = {
      backend: connection,
      bucketMap: `${bucket}=${prefix}${bucket}`,
      ...access,
      callbackKeyFile,
      callbackKeyUrl: 'http://keys.upcall.test/bench-scale-out.pem',
    };
    instances = await startUpcallInstances(settings, dir, 3);
    const loadBefore = loadavg()[0] ?? 0;
    const passes = await measure(instances);
    const one = row('1 instance', passes.one);
    const three = row('3 instances (round robin)', passes.three, one.perSecond.median);
    return {
      title,
      rows: [one.row, three.row],
      notes: [
        `${concurrency} concurrent 1 MiB V4 PostObject forms (no callback), ${loadSeconds} s per pass, ` +
          `${repeats} interleaved pass(es) each; median [min..max]; load average ` +
          `${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after.`,
        'Client, three gateways and Ceph (mon + OSD + radosgw) share this machine: the ratio is bounded by ' +
          'its cores, not by the gateway design (docs/scale-out.md "Throughput").',
      ],
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    const client = createTestS3Client();
    if (client !== undefined) await deleteBackendBuckets(client, prefix).finally(() => client.destroy());
    await rm(dir, { recursive: true, force: true });
  }
}
