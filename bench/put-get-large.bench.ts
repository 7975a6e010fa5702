// Scenario 2: large PutObject and GetObject against the Node baselines (pipe + MD5 + CRC-64 + fsync for
// PUT, fs.createReadStream for GET) and Ceph RGW. The Upcall bucket is public-read-write here so curl can
// send anonymous requests. PutObject is detected at run time (`PUT /<bucket>/<key>`): while the server
// answers NotImplemented the PUT rows say "pending" and the GET object is uploaded with PostObject instead.
import { basename, dirname } from 'node:path';
import { startCephRgw } from './lib/ceph-rgw.js';
import { curlGet, curlPostForm, curlPut, curlRequest } from './lib/curl.js';
import { largeBytes, repeats } from './lib/bench-settings.js';
import { startNodeBaseline, startUpcall } from './lib/bench-servers.js';
import { ensureInputFile, type InputFile } from './lib/input-file.js';
import {
  formatMb,
  measureInterleaved,
  verdict,
  type RunTarget,
  type TargetResult,
} from './lib/measure-runs.js';
import { buildOssV4Fields } from './lib/oss-form.js';
import { signS3Headers } from './lib/sign-s3-v4.js';
import { formatRatio, formatSpread, toMbPerSecond } from './lib/stats.js';

function transfer(
  name: string,
  pid: number | undefined,
  bytes: number,
  send: (index: number) => Promise<{ status: number; seconds: number; body: string }>,
): RunTarget {
  return {
    name,
    pid,
    run: async (index) => {
      const result = await send(index);
      if (result.status < 200 || result.status > 299)
        throw new Error(`answered ${result.status}: ${result.body.slice(0, 160)}`);
      return toMbPerSecond(bytes, result.seconds);
    },
  };
}

async function probePut(url: string): Promise<boolean> {
  const result = await curlPut(`${url}/probe/put-probe.txt`, '/etc/hostname');
  return !result.body.includes('NotImplemented') && result.status !== 501;
}

function rows(results: TargetResult[], baseName: string): Array<Record<string, string>> {
  const base = results.find((r) => r.name === baseName);
  return results.map((result) => ({
    transfer: result.name,
    'MB/s median [min..max]': formatSpread(result.figure, 0),
    'vs Node baseline': base === undefined ? 'n/a' : formatRatio(result.figure.median, base.figure.median),
    'server CPU s': formatSpread(result.cpuSeconds, 2),
    'peak RSS MB': formatMb(result.peakRssBytes),
  }));
}

async function seedGetObject(
  upcall: { url: string; bucket: string; accessKeyId: string; accessKeySecret: string },
  input: InputFile,
  putWorks: boolean,
): Promise<void> {
  const key = 'get/large.bin';
  const result = putWorks
    ? await curlPut(`${upcall.url}/${upcall.bucket}/${key}`, input.path)
    : await curlPostForm(
        `${upcall.url}/${upcall.bucket}`,
        buildOssV4Fields({ ...upcall, key, maxBytes: 2 * input.bytes }),
        input.path,
      );
  if (result.status < 200 || result.status > 299)
    throw new Error(`seeding the GET object failed: ${result.status}`);
}

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const input = await ensureInputFile(largeBytes);
  const upcall = await startUpcall('upcall-put-get', { BENCH_BUCKET_ACL: 'public-read-write' });
  const hashFsync = await startNodeBaseline('hash-fsync');
  const staticFiles = await startNodeBaseline('static', dirname(input.path));
  const rgw = await startCephRgw();
  const bucketUrl = `${upcall.info.url}/${upcall.info.bucket}`;
  try {
    const putWorks = await probePut(bucketUrl);
    await seedGetObject(upcall.info, input, putWorks);
    const puts: RunTarget[] = [
      transfer('Node http PUT: pipe + MD5 + CRC-64 + fsync (baseline)', hashFsync.pid, input.bytes, () =>
        curlPut(`${hashFsync.info.url}/put.bin`, input.path),
      ),
      ...(putWorks
        ? [
            transfer('Upcall PutObject', upcall.pid, input.bytes, (i) =>
              curlPut(`${bucketUrl}/put/run-${i}.bin`, input.path),
            ),
          ]
        : []),
    ];
    const gets: RunTarget[] = [
      transfer('Node http GET: fs.createReadStream (baseline)', staticFiles.pid, input.bytes, () =>
        curlGet(`${staticFiles.info.url}/${basename(input.path)}`),
      ),
      transfer('Upcall GetObject', upcall.pid, input.bytes, () => curlGet(`${bucketUrl}/get/large.bin`)),
    ];
    if (typeof rgw !== 'string') {
      const url = (key: string): string => `${rgw.endpoint}/${rgw.bucket}/${key}`;
      const seeded = await curlPut(
        url('get/large.bin'),
        input.path,
        signS3Headers(rgw, 'PUT', url('get/large.bin')),
      );
      puts.push(
        transfer('Ceph RGW PutObject (SigV4)', rgw.pid, input.bytes, async (i) => {
          const result = await curlPut(
            url(`put/run-${i}.bin`),
            input.path,
            signS3Headers(rgw, 'PUT', url(`put/run-${i}.bin`)),
          );
          await curlRequest(
            'DELETE',
            url(`put/run-${i}.bin`),
            signS3Headers(rgw, 'DELETE', url(`put/run-${i}.bin`)),
          );
          return result;
        }),
      );
      if (seeded.status === 200)
        gets.push(
          transfer('Ceph RGW GetObject (SigV4)', rgw.pid, input.bytes, () =>
            curlGet(url('get/large.bin'), signS3Headers(rgw, 'GET', url('get/large.bin'))),
          ),
        );
    }
    const putResults = await measureInterleaved(puts, repeats);
    const getResults = await measureInterleaved(gets, repeats);
    const upcallGet = getResults.find((r) => r.name === 'Upcall GetObject');
    const staticGet = getResults[0];
    return {
      title: `Scenario 2: ${input.bytes / 2 ** 20} MiB PutObject and GetObject`,
      rows: [...rows(putResults, puts[0]!.name), ...rows(getResults, gets[0]!.name)],
      notes: [
        putWorks
          ? 'PutObject: measured.'
          : 'PutObject: PENDING — the server answers NotImplemented to PUT /<bucket>/<key>; the scenario code is ready and runs once it lands.',
        'curl -T / curl -o /dev/null; the Upcall bucket is public-read-write for this scenario (anonymous requests).',
        verdict(
          'scenario 2 GetObject ≥ 0.9× the Node static-file baseline',
          (upcallGet?.figure.median ?? 0) >= 0.9 * (staticGet?.figure.median ?? Infinity),
          formatRatio(upcallGet?.figure.median ?? Number.NaN, staticGet?.figure.median ?? Number.NaN),
        ),
        ...(typeof rgw === 'string' ? [rgw] : []),
        ...[...putResults, ...getResults].flatMap((r) => r.errors),
      ],
    };
  } finally {
    await Promise.all([upcall.stop(), hashFsync.stop(), staticFiles.stop()]);
    // Leave Ceph as found: its memstore OSD holds objects in RAM (4 GiB by default) until deleted.
    if (typeof rgw !== 'string') {
      const url = `${rgw.endpoint}/${rgw.bucket}/get/large.bin`;
      await curlRequest('DELETE', url, signS3Headers(rgw, 'DELETE', url)).catch(() => undefined);
    }
  }
}
