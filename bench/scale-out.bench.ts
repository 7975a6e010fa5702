// Scale-out throughput (issue 9, docs/scale-out.md): V4-signed PostObject uploads through ONE gateway
// instance (`upcall server --store s3`) versus round robin over THREE instances, all over the same Ceph
// RGW bucket, measured in the same run and interleaved (one, three, one, three, …) so load drift hits
// both alike. The load generator, the three gateways and Ceph (mon, OSD, radosgw) share one machine, so
// on 2 cores the ratio says how much the gateway itself limits, not how a real cluster scales.
// The backend is the one named by S3_ENDPOINT (S3_* as for the S3 suites); without it the bench starts
// Ceph RGW itself on loopback (lib/ceph-rgw.ts, stopped after the run only if this run started it).
// Skips (a note, no rows) when neither works.
// Run alone: `npm run bench scale-out` (BENCH_QUICK=1 for one short pass).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deleteBackendBuckets,
  newTestBucketPrefix,
  readS3TestConnection,
} from '../packages/server/src/store/s3-test-backend.js';
import { createS3Client, type S3Connection } from '../packages/server/src/store/s3-client.js';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  startUpcallInstances,
  writeCallbackKey,
  type UpcallInstance,
} from '../test/scale-out/support/upcall-instances.js';
import { loadSeconds, repeats } from './lib/bench-settings.js';
import { startCephRgw } from './lib/ceph-rgw.js';
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

/**
 * Deletes one pass's objects (untimed): a pass writes ~0.5–1 GB, and Ceph's memstore OSD keeps
 * objects in RAM (4 GiB by default) — a full OSD blocks every later write, deletes included.
 */
async function deletePass(client: S3Client, backendBucket: string, label: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: backendBucket,
        Prefix: `bench/${label}/`,
        ContinuationToken: token,
      }),
    );
    const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key }));
    if (objects.length > 0)
      await client.send(
        new DeleteObjectsCommand({ Bucket: backendBucket, Delete: { Objects: objects, Quiet: true } }),
      );
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

async function measure(instances: readonly UpcallInstance[], afterPass: (label: string) => Promise<void>) {
  const one = [instances[0]!.url];
  const three = instances.map((instance) => instance.url);
  const pass = async (urls: string[], label: string, seconds: number): Promise<Pass> => {
    const result = await runPass(urls, label, seconds);
    await afterPass(label);
    return result;
  };
  await pass(three, 'warm-up', 2);
  const passes = { one: [] as Pass[], three: [] as Pass[] };
  for (let i = 0; i < repeats; i += 1) {
    passes.one.push(await pass(one, `one-${i}`, loadSeconds));
    passes.three.push(await pass(three, `three-${i}`, loadSeconds));
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

/** S3_* from the environment, else the Ceph RGW this run starts (or a string saying why neither). */
async function resolveBackend(): Promise<{ connection: S3Connection; source: string } | string> {
  const fromEnv = readS3TestConnection();
  if (fromEnv !== undefined)
    return (await backendAnswers(fromEnv.endpoint ?? ''))
      ? { connection: fromEnv, source: `S3_ENDPOINT ${fromEnv.endpoint ?? ''}` }
      : `S3_ENDPOINT ${fromEnv.endpoint ?? ''} is not answering`;
  const rgw = await startCephRgw();
  if (typeof rgw === 'string') return rgw;
  return {
    connection: {
      endpoint: rgw.endpoint,
      region: rgw.region,
      accessKeyId: rgw.accessKey,
      secretAccessKey: rgw.secretKey,
      forcePathStyle: true,
    },
    source: `Ceph RGW at ${rgw.endpoint} (${rgw.startedHere ? 'started by this run' : 'already running'})`,
  };
}

export async function runBench(): Promise<BenchReport> {
  const title = 'Scale-out: PostObject throughput through one vs three gateway instances over Ceph RGW';
  const backend = await resolveBackend();
  if (typeof backend === 'string') return { title, rows: [], notes: [`skipped: ${backend}`] };
  const { connection } = backend;
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
    const client = createS3Client(connection);
    const passes = await measure(instances, (label) =>
      deletePass(client, `${prefix}${bucket}`, label),
    ).finally(() => client.destroy());
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
        `Backend: ${backend.source}.`,
      ],
    };
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    const client = createS3Client(connection);
    await deleteBackendBuckets(client, prefix).finally(() => client.destroy());
    await rm(dir, { recursive: true, force: true });
  }
}
