// The Ceph RGW baseline: started with ../shared/services/ceph-rgw/start.sh (relative to the repo root;
// it installs its Debian packages on first use and is idempotent), then a bench bucket is created with a
// header-signed PUT. Absent script or a failed start → undefined, and the scenario notes the skip.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './bench-settings.js';
import { signS3Headers, type S3Credentials } from './sign-s3-v4.js';
import { curlRequest } from './curl.js';

export interface CephRgw extends S3Credentials {
  readonly endpoint: string;
  readonly bucket: string;
  /** radosgw's pid, for CPU and RSS (the OSD's work is not included). */
  readonly pid: number | undefined;
}

export const cephStartScript = join(repoRoot, '..', 'shared', 'services', 'ceph-rgw', 'start.sh');

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 1024 * 1024, timeout: 300_000 }, (error, stdout) =>
      error ? reject(new Error(error.message, { cause: error })) : resolve(stdout),
    );
  });
}

async function findRgwPid(): Promise<number | undefined> {
  try {
    const out = await run('pgrep', ['-o', '-x', 'radosgw']);
    const pid = Number(out.trim().split('\n')[0]);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

let started: Promise<CephRgw | string> | undefined;

/** The running gateway with a bucket `upcall-bench`, or a string saying why it is unavailable. */
export function startCephRgw(): Promise<CephRgw | string> {
  started ??= (async () => {
    if (!existsSync(cephStartScript)) return `Ceph RGW skipped: ${cephStartScript} not found`;
    let env: string;
    try {
      env = await run('bash', [cephStartScript]);
    } catch (error) {
      return `Ceph RGW skipped: start.sh failed (${(error as Error).message.split('\n')[0]})`;
    }
    const vars: Record<string, string> = {};
    for (const match of env.matchAll(/^(\w+)=(.*)$/gm)) vars[match[1]!] = match[2]!;
    const rgw = {
      endpoint: vars.S3_ENDPOINT ?? '',
      accessKey: vars.S3_ACCESS_KEY ?? '',
      secretKey: vars.S3_SECRET_KEY ?? '',
      region: vars.S3_REGION ?? 'us-east-1',
      bucket: 'upcall-bench',
      pid: await findRgwPid(),
    };
    const url = `${rgw.endpoint}/${rgw.bucket}`;
    const created = await curlRequest('PUT', url, signS3Headers(rgw, 'PUT', url));
    if (created.status !== 200 && !created.body.includes('BucketAlreadyOwnedByYou'))
      return `Ceph RGW skipped: create bucket answered ${created.status}`;
    return rgw;
  })();
  return started;
}
