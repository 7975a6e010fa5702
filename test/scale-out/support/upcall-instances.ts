// Several `npx upcall server --store s3` processes over one backend bucket, as behind a load balancer:
// shared access key pair (environment), shared callback signing key (one PEM file), each with its own
// empty data directory — nothing in it is needed by the others, which is the point of the gateway store.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Connection } from '../../../packages/server/src/store/s3-client.js';

const root = new URL('../../../', import.meta.url).pathname;

export interface SharedSettings {
  readonly backend: S3Connection;
  /** OSS bucket → backend bucket. */
  readonly bucketMap: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly callbackKeyFile: string;
  /** Advertised in x-oss-pub-key-url by every instance (a load balancer would give them one URL). */
  readonly callbackKeyUrl: string;
}

export interface UpcallInstance {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** SIGTERM and wait; resolves at once if the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL the whole process group (npx and the server it started): a crash, mid-request. */
  kill(): Promise<void>;
}

/** A fresh RSA key for callback signatures, written where every instance reads it; returns its public PEM. */
export async function writeCallbackKey(file: string): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function instanceEnv(settings: SharedSettings, dataDir: string): NodeJS.ProcessEnv {
  const { backend } = settings;
  return {
    ...process.env,
    UPCALL_STORE: 's3',
    UPCALL_S3_ENDPOINT: backend.endpoint,
    UPCALL_S3_REGION: backend.region,
    UPCALL_S3_ACCESS_KEY: backend.accessKeyId,
    UPCALL_S3_SECRET_KEY: backend.secretAccessKey,
    UPCALL_S3_FORCE_PATH_STYLE: String(backend.forcePathStyle),
    UPCALL_S3_BUCKET_MAP: settings.bucketMap,
    UPCALL_ACCESS_KEY_ID: settings.accessKeyId,
    UPCALL_ACCESS_KEY_SECRET: settings.accessKeySecret,
    UPCALL_CALLBACK_PRIVATE_KEY: settings.callbackKeyFile,
    UPCALL_CALLBACK_KEY_URL: settings.callbackKeyUrl,
    UPCALL_PORT: '0',
    UPCALL_DATA_DIR: dataDir,
    UPCALL_LOG_LEVEL: 'warn',
    UPCALL_SHUTDOWN_GRACE_MS: '1000',
  };
}

async function signalGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid, signal);
  await exited;
}

export async function startUpcallInstance(
  settings: SharedSettings,
  dataDir: string,
): Promise<UpcallInstance> {
  await mkdir(dataDir, { recursive: true });
  // Its own process group: npx runs the server as a child, and a signal must reach both.
  const child = spawn('npx', ['upcall', 'server', '--bucket', 'uploads'], {
    cwd: root,
    env: instanceEnv(settings, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const deadline = Date.now() + 30_000;
  let match: RegExpExecArray | null;
  while ((match = /endpoint\s+(http:\/\/127\.0\.0\.1:(\d+))/.exec(text)) === null) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`upcall server did not start:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = match[1] ?? '';
  return {
    url,
    port: Number(match[2]),
    child,
    output: () => text,
    stop: () => signalGroup(child, 'SIGTERM'),
    kill: () => signalGroup(child, 'SIGKILL'),
  };
}

export function startUpcallInstances(
  settings: SharedSettings,
  dir: string,
  count: number,
): Promise<UpcallInstance[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => startUpcallInstance(settings, join(dir, `instance-${i}`))),
  );
}
