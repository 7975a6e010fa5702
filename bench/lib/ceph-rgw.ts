// The Ceph RGW baseline and backend: started with scripts/services/ceph-rgw-start.sh (the repo's copy of
// ../shared/services/ceph-rgw/start.sh; it installs its Debian packages on first use and is idempotent),
// then a bench bucket is created with a header-signed PUT. The bench leaves Ceph as it found it: a
// gateway that already answered before the first scenario asked for it is left running; one this run
// started is stopped by stopCephRgwIfStarted() (bench/run.ts calls it once, after the last scenario).
// Absent script or a failed start → a string saying why, and the scenario notes the skip.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './bench-settings.js';
import { signS3Headers, type S3Credentials } from './sign-s3-v4.js';
import { curlPut, curlRequest } from './curl.js';

export interface CephRgw extends S3Credentials {
  readonly endpoint: string;
  readonly bucket: string;
  /** radosgw's pid, for CPU and RSS (the OSD's work is not included). */
  readonly pid: number | undefined;
  /** True when this bench run started the cluster (and will stop it at the end). */
  readonly startedHere: boolean;
}

export const cephStartScript = join(repoRoot, 'scripts', 'services', 'ceph-rgw-start.sh');
const cephStopScript = join(repoRoot, 'scripts', 'services', 'ceph-rgw-stop.sh');
// The start script's own knobs (defaults as in ceph-rgw-start.sh): a second cluster can run beside a
// shared one with CEPH_DIR, RGW_PORT and MON_PORT set.
const rgwPort = process.env.RGW_PORT ?? '7480';
const cephDir = process.env.CEPH_DIR ?? '/tmp/ceph-rgw';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 1024 * 1024, timeout: 300_000, env }, (error, stdout) =>
      error ? reject(new Error(error.message, { cause: error })) : resolve(stdout),
    );
  });
}

/** radosgw's pid from start.sh's pid file (pgrep would also find another cluster's gateway). */
function findRgwPid(): number | undefined {
  try {
    const pid = Number(readFileSync(join(cephDir, 'rgw.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a gateway answers on the loopback port start.sh uses (any HTTP status counts). */
async function gatewayAnswers(): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${rgwPort}/`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function startAndDescribe(): Promise<CephRgw | string> {
  if (!existsSync(cephStartScript)) return `Ceph RGW skipped: ${cephStartScript} not found`;
  const wasRunning = await gatewayAnswers();
  let env: string;
  try {
    // A cluster started here gets 8 GiB of memstore (RAM, used only as data arrives): the 1 GiB
    // scenarios keep one object, write another and wait for RGW's GC to free deleted tails.
    env = await run('bash', [cephStartScript], {
      ...process.env,
      MEMSTORE_BYTES: process.env.MEMSTORE_BYTES ?? String(8 * 1024 ** 3),
    });
  } catch (error) {
    return `Ceph RGW skipped: ceph-rgw-start.sh failed (${(error as Error).message.split('\n')[0]})`;
  }
  const vars: Record<string, string> = {};
  for (const match of env.matchAll(/^(\w+)=(.*)$/gm)) vars[match[1]!] = match[2]!;
  const rgw: CephRgw = {
    endpoint: vars.S3_ENDPOINT ?? '',
    accessKey: vars.S3_ACCESS_KEY ?? '',
    secretKey: vars.S3_SECRET_KEY ?? '',
    region: vars.S3_REGION ?? 'us-east-1',
    bucket: 'upcall-bench',
    pid: findRgwPid(),
    startedHere: !wasRunning,
  };
  const url = `${rgw.endpoint}/${rgw.bucket}`;
  let created: { status: number; body: string };
  try {
    created = await curlRequest('PUT', url, signS3Headers(rgw, 'PUT', url), ['--max-time', '20']);
  } catch (error) {
    return `Ceph RGW skipped: create bucket failed (${(error as Error).message.split('\n')[0]})`;
  }
  if (created.status !== 200 && !created.body.includes('BucketAlreadyOwnedByYou'))
    return `Ceph RGW skipped: create bucket answered ${created.status}`;
  return (await acceptsWrites(rgw))
    ? rgw
    : `Ceph RGW skipped: ${rgw.endpoint} did not store a 1-byte object within 20 s (cluster full? \`ceph -c ${cephDir}/ceph.conf health\`)`;
}

/** A running cluster whose OSD is full answers reads but blocks every write: probe with a tiny PUT. */
async function acceptsWrites(rgw: CephRgw): Promise<boolean> {
  const url = `${rgw.endpoint}/${rgw.bucket}/probe/write.txt`;
  const timeout = ['--max-time', '20'];
  try {
    const put = await curlPut(url, '/etc/hostname', signS3Headers(rgw, 'PUT', url), timeout);
    await curlRequest('DELETE', url, signS3Headers(rgw, 'DELETE', url), timeout);
    return put.status === 200;
  } catch {
    return false;
  }
}

let started: Promise<CephRgw | string> | undefined;

/** The running gateway with a bucket `upcall-bench`, or a string saying why it is unavailable. */
export function startCephRgw(): Promise<CephRgw | string> {
  started ??= startAndDescribe();
  return started;
}

/** Stops the cluster if this run started it; returns a line for the log, or undefined. */
export async function stopCephRgwIfStarted(): Promise<string | undefined> {
  if (started === undefined) return undefined;
  const rgw = await started;
  started = undefined;
  if (typeof rgw === 'string' || !rgw.startedHere) return undefined;
  await run('bash', [cephStopScript]).catch(() => '');
  return 'stopped the Ceph RGW cluster this run had started (scripts/services/ceph-rgw-stop.sh)';
}
