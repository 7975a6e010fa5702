// The demo against storage it does not start (docs/scale-out.md): DEMO_STORAGE_ENDPOINT names an Upcall
// server, or the load balancer in front of several `upcall server --store s3` instances that share one
// bucket, access key pair and callback key. The app then signs tickets with that key pair and trusts
// only that callback key URL. Without DEMO_STORAGE_ENDPOINT the demo starts its own storage server.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type Env } from '@upcall/server';
import type { StorageConnection } from '../storage-connection.js';

export interface ExternalStorageSettings {
  readonly connection: StorageConnection;
  /** PEM of the callback public key, pinned instead of fetched from callbackKeyUrl (absolute path). */
  readonly callbackKeyFile?: string;
}

export const externalStorageUsage = `External storage (instead of the embedded server; docs/scale-out.md):
  DEMO_STORAGE_ENDPOINT           storage URL the browser uploads to, e.g. http://lb.internal:9000
  DEMO_STORAGE_BUCKET             bucket (default uploads)
  DEMO_STORAGE_REGION             region for V4 signatures (default cn-hangzhou)
  DEMO_STORAGE_CALLBACK_KEY_URL   the x-oss-pub-key-url the servers send (required)
  DEMO_STORAGE_CALLBACK_KEY_FILE  its public key PEM, pinned (default: fetched from the URL)
  UPCALL_ACCESS_KEY_ID / UPCALL_ACCESS_KEY_SECRET   the key pair the servers share (required)
`;

function readHttpUrl(name: string, text: string, problems: string[]): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text;
  } catch {
    // reported below
  }
  problems.push(`${name}=${JSON.stringify(text)}: must be an http(s) URL.`);
  return text;
}

/** undefined when DEMO_STORAGE_ENDPOINT is unset; throws ConfigError listing every missing setting. */
export function readExternalStorage(env: Env, cwd: string): ExternalStorageSettings | undefined {
  const endpoint = env.DEMO_STORAGE_ENDPOINT?.trim();
  if (endpoint === undefined || endpoint === '') return undefined;
  const problems: string[] = [];
  const keyUrl = env.DEMO_STORAGE_CALLBACK_KEY_URL?.trim() ?? '';
  const accessKeyId = env.UPCALL_ACCESS_KEY_ID ?? '';
  const accessKeySecret = env.UPCALL_ACCESS_KEY_SECRET ?? '';
  if (keyUrl === '') problems.push('DEMO_STORAGE_CALLBACK_KEY_URL is required with DEMO_STORAGE_ENDPOINT.');
  if (accessKeyId === '' || accessKeySecret === '')
    problems.push(
      'UPCALL_ACCESS_KEY_ID and UPCALL_ACCESS_KEY_SECRET are required with DEMO_STORAGE_ENDPOINT.',
    );
  const connection: StorageConnection = {
    endpoint: readHttpUrl('DEMO_STORAGE_ENDPOINT', endpoint, problems).replace(/\/+$/, ''),
    bucket: env.DEMO_STORAGE_BUCKET?.trim() || 'uploads',
    region: env.DEMO_STORAGE_REGION?.trim() || 'cn-hangzhou',
    credentials: { accessKeyId, accessKeySecret },
    callbackKeyUrl: keyUrl === '' ? keyUrl : readHttpUrl('DEMO_STORAGE_CALLBACK_KEY_URL', keyUrl, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  const keyFile = env.DEMO_STORAGE_CALLBACK_KEY_FILE?.trim();
  return { connection, ...(keyFile ? { callbackKeyFile: resolve(cwd, keyFile) } : {}) };
}

/** The connection with the pinned PEM read from callbackKeyFile, when one is configured. */
export async function readExternalConnection(settings: ExternalStorageSettings): Promise<StorageConnection> {
  if (settings.callbackKeyFile === undefined) return settings.connection;
  const pem = await readFile(settings.callbackKeyFile, 'utf8');
  if (!pem.includes('-----BEGIN PUBLIC KEY-----'))
    throw new ConfigError([
      `DEMO_STORAGE_CALLBACK_KEY_FILE ${settings.callbackKeyFile}: not a PEM public key.`,
    ]);
  return { ...settings.connection, callbackKeyPem: pem };
}
