// Scenarios 1 and 5a: one 1 GiB file as a V4-signed PostObject form (content-length-range, MD5 +
// CRC-64, durable commit), posted with `curl -F`, against same-run baselines: a minimal Node server that
// pipes the body to a file with MD5 + CRC-64 + fsync on the main thread, the same server draining only,
// Ceph RGW's POST Object with a SigV4 policy, and s3rver's POST Object (same form shape; s3rver checks
// neither policy nor signature and stores with MD5 only, no fsync). Server CPU and peak RSS from /proc.
import { startCephRgw } from './lib/ceph-rgw.js';
import { curlPostForm, curlRequest } from './lib/curl.js';
import { quick, repeats, largeBytes } from './lib/bench-settings.js';
import { startNodeBaseline, startS3rver, startUpcall, type S3rverInfo } from './lib/bench-servers.js';
import { measureMd5Rate, measureCrc64Rate } from './lib/hash-rates.js';
import { ensureInputFile } from './lib/input-file.js';
import {
  formatMb,
  measureInterleaved,
  verdict,
  type RunTarget,
  type TargetResult,
} from './lib/measure-runs.js';
import { buildOssV4Fields } from './lib/oss-form.js';
import { signS3Headers, signS3PostFields } from './lib/sign-s3-v4.js';
import { formatRatio, formatSpread, toMbPerSecond } from './lib/stats.js';
import type { ChildServer } from './lib/child-server.js';

const mb = 1e6;

function checkStatus(status: number, body: string, what: string): void {
  if (status < 200 || status > 299) throw new Error(`${what} answered ${status}: ${body.slice(0, 200)}`);
}

async function upcallTarget(input: { path: string; bytes: number; md5Hex: string }): Promise<{
  target: RunTarget;
  server: ChildServer<{ url: string; bucket: string; accessKeyId: string; accessKeySecret: string }>;
}> {
  const server = await startUpcall('upcall-post-large');
  const { url, bucket, accessKeyId, accessKeySecret } = server.info;
  return {
    server,
    target: {
      name: 'Upcall PostObject (V4, MD5 + CRC-64, durable)',
      pid: server.pid,
      run: async (index) => {
        const key = `large/run-${index}.bin`;
        const fields = buildOssV4Fields({
          accessKeyId,
          accessKeySecret,
          bucket,
          key,
          maxBytes: 2 * input.bytes,
        });
        const result = await curlPostForm(`${url}/${bucket}`, fields, input.path);
        checkStatus(result.status, result.body, 'Upcall');
        if (!result.headers.includes(input.md5Hex))
          throw new Error('Upcall ETag does not match the file MD5');
        return toMbPerSecond(input.bytes, result.seconds);
      },
    },
  };
}

function nodeTarget(
  name: string,
  server: ChildServer<{ url: string }>,
  path: string,
  bytes: number,
): RunTarget {
  return {
    name,
    pid: server.pid,
    run: async () => {
      const result = await curlPostForm(`${server.info.url}/bench`, [['key', 'x']], path);
      checkStatus(result.status, result.body, name);
      return toMbPerSecond(bytes, result.seconds);
    },
  };
}

async function rgwTarget(path: string, bytes: number): Promise<RunTarget | string> {
  const rgw = await startCephRgw();
  if (typeof rgw === 'string') return rgw;
  return {
    name: 'Ceph RGW POST Object (SigV4 policy)',
    pid: rgw.pid,
    run: async (index) => {
      const key = `large/run-${index}.bin`;
      const fields = signS3PostFields(rgw, { bucket: rgw.bucket, key, maxBytes: 2 * bytes });
      const result = await curlPostForm(`${rgw.endpoint}/${rgw.bucket}`, fields, path);
      checkStatus(result.status, result.body, 'Ceph RGW');
      const objectUrl = `${rgw.endpoint}/${rgw.bucket}/${key}`;
      await curlRequest('DELETE', objectUrl, signS3Headers(rgw, 'DELETE', objectUrl));
      return toMbPerSecond(bytes, result.seconds);
    },
  };
}

/** s3rver's POST Object with the S3 form fields a browser would send (s3rver does not check them). */
function s3rverTarget(
  server: ChildServer<S3rverInfo>,
  input: { path: string; bytes: number; md5Hex: string },
) {
  const creds = { accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };
  return {
    name: 's3rver 3.7 POST Object (MD5, no fsync)',
    pid: server.pid,
    run: async (index: number) => {
      const key = `large/run-${index}.bin`;
      const fields = signS3PostFields(creds, { bucket: server.info.bucket, key, maxBytes: 2 * input.bytes });
      const result = await curlPostForm(`${server.info.url}/${server.info.bucket}`, fields, input.path);
      checkStatus(result.status, result.body, 's3rver');
      if (!result.headers.toUpperCase().includes(input.md5Hex))
        throw new Error('s3rver ETag does not match the file MD5');
      return toMbPerSecond(input.bytes, result.seconds);
    },
  } satisfies RunTarget;
}

interface Bases {
  readonly base: TargetResult | undefined;
  readonly drain: TargetResult | undefined;
  readonly rgw: TargetResult | undefined;
  readonly s3rver: TargetResult | undefined;
}

function rowOf(result: TargetResult, { base, drain, rgw, s3rver }: Bases): Record<string, string> {
  const vs = (other: TargetResult | undefined): string =>
    other === undefined ? 'n/a' : formatRatio(result.figure.median, other.figure.median);
  return {
    server: result.name,
    'MB/s median [min..max]': formatSpread(result.figure, 0),
    'vs pipe+hash+fsync': vs(base),
    'vs drain': vs(drain),
    'vs Ceph RGW': vs(rgw),
    'vs s3rver': vs(s3rver),
    'server CPU s': formatSpread(result.cpuSeconds, 2),
    'peak RSS MB': formatMb(result.peakRssBytes),
  };
}

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const input = await ensureInputFile(largeBytes);
  const md5Rate = measureMd5Rate(quick ? 256 * 2 ** 20 : 512 * 2 ** 20, repeats);
  const crcRate = measureCrc64Rate(quick ? 256 * 2 ** 20 : 512 * 2 ** 20, repeats);
  const upcall = await upcallTarget(input);
  const hashFsync = await startNodeBaseline('hash-fsync');
  const drain = await startNodeBaseline('drain');
  const s3rver = await startS3rver();
  const rgw = await rgwTarget(input.path, input.bytes);
  const targets: RunTarget[] = [
    upcall.target,
    nodeTarget(
      'Node http: pipe to file + MD5 + CRC-64 + fsync, main thread',
      hashFsync,
      input.path,
      input.bytes,
    ),
    nodeTarget('Node http: drain only', drain, input.path, input.bytes),
    s3rverTarget(s3rver, input),
    ...(typeof rgw === 'string' ? [] : [rgw]),
  ];
  let results: TargetResult[];
  try {
    results = await measureInterleaved(targets, repeats);
  } finally {
    await Promise.all([upcall.server.stop(), hashFsync.stop(), drain.stop(), s3rver.stop()]);
  }
  const [ours, base, drained, s3rverResult] = results as [
    TargetResult,
    TargetResult,
    TargetResult,
    TargetResult,
  ];
  const rgwResult = results[4];
  const bases = { base, drain: drained, rgw: rgwResult, s3rver: s3rverResult };
  const rows = results.map((result) => rowOf(result, bases));
  rows.push({
    server: 'single-core MD5 (node:crypto, from memory)',
    'MB/s median [min..max]': formatSpread(md5Rate, 0),
  });
  rows.push({
    server: 'single-core CRC-64 (protocol Crc64Ecma, from memory)',
    'MB/s median [min..max]': formatSpread(crcRate, 0),
  });
  const oursMb = ours.figure.median;
  const rssMb = ours.peakRssBytes.max / mb;
  const notes = [
    `${input.bytes / 2 ** 20} MiB file, curl -F (streams from disk), n=${repeats} interleaved; MB/s = 10^6 B/s of file content.`,
    verdict(
      'scenario 1 ≥ 1.5× pipe+MD5+CRC-64+fsync',
      oursMb >= 1.5 * base.figure.median,
      formatRatio(oursMb, base.figure.median),
    ),
    rgwResult === undefined
      ? typeof rgw === 'string'
        ? rgw
        : 'Ceph RGW: no result'
      : verdict(
          'scenario 1 ≥ 1.0× Ceph RGW',
          oursMb >= rgwResult.figure.median,
          formatRatio(oursMb, rgwResult.figure.median),
        ),
    `Upcall at ${formatRatio(oursMb, s3rverResult.figure.median)} s3rver's POST (no target in the issue; s3rver does MD5 only, no CRC-64, no fsync, no policy check).`,
    verdict(
      'scenario 1 ≥ 0.6× single-core MD5',
      oursMb >= 0.6 * md5Rate.median,
      formatRatio(oursMb, md5Rate.median),
    ),
    verdict(
      'scenario 5 peak RSS ≤ 150 MB for the 1 GiB upload',
      rssMb <= 150,
      `${Math.round(rssMb)} MB (max over runs)`,
    ),
    'Ceph RGW runs radosgw + one memstore OSD; CPU and RSS shown are radosgw only.',
    's3rver: its own busboy 0.3 parse, MD5 in a Transform, fs.createWriteStream; it answers once its hash Transform has finished, without waiting for the file write stream.',
    ...results.flatMap((result) => result.errors),
  ];
  return { title: `Scenario 1 + 5a: ${input.bytes / 2 ** 20} MiB PostObject form upload`, rows, notes };
}
