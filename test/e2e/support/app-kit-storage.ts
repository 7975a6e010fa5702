// Upcall's real storage server for the app-kit e2e tests: startServer over a filesystem store in a fresh
// temporary data dir (the callback key is generated there on first start, as in production), ephemeral
// port on 127.0.0.1, loopback callbacks allowed (`--callback-targets dev`), fixed credentials.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildUploadHost, createStorageLister, presignObjectUrl, type StorageConnection } from '@upcall/demo';
import { parseServerFlags, resolveServerConfig, startServer, type RunningServer } from '@upcall/server';
import type { ObjectLister } from '@upcall/app-kit';

export const e2eBucket = 'uploads';
export const e2eAccessKeyId = 'UPCE2EAPPKITACCESSKEY01';
export const e2eAccessKeySecret = 'e2e-app-kit-secret-0000000000';

/** What an application knows about its storage, and how a test reads it back over HTTP. */
export interface StorageEndpoint {
  /** Endpoint, bucket, region, credentials and the exact callback key URL + PEM the server uses. */
  readonly connection: StorageConnection;
  /** `<endpoint>/<bucket>`: where a browser POSTs the ticket's form (path style). */
  readonly uploadHost: string;
  /** The demo's ListObjects-based lister (header-signed GETs to this server), for reconcileUploads. */
  readonly listObjects: ObjectLister;
  /** GETs an object over HTTP with a presigned URL; undefined on 404. */
  readObject(key: string): Promise<Buffer | undefined>;
}

export interface AppKitStorage extends StorageEndpoint {
  readonly running: RunningServer;
  /** Temporary root: `storage/` is the server's data dir; tests put their record databases beside it. */
  readonly rootDir: string;
  stop(): Promise<void>;
}

export function describeStorageEndpoint(connection: StorageConnection): StorageEndpoint {
  return {
    connection,
    uploadHost: buildUploadHost(connection),
    listObjects: createStorageLister(connection),
    readObject: (key) => readObjectOverHttp(connection, key),
  };
}

/** `extraFlags`: more `upcall server` flags, e.g. `--strict-post-policy`. */
export async function startAppKitStorage(extraFlags: readonly string[] = []): Promise<AppKitStorage> {
  const rootDir = await mkdtemp(join(tmpdir(), 'upcall-e2e-app-kit-'));
  const argv = [
    ['--host', '127.0.0.1'],
    ['--port', '0'],
    ['--data-dir', join(rootDir, 'storage')],
    ['--bucket', e2eBucket],
    ['--access-key-id', e2eAccessKeyId],
    ['--access-key-secret', e2eAccessKeySecret],
    ['--callback-targets', 'dev'],
    ['--shutdown-grace-ms', '1000'],
    ['--log-level', 'silent'],
    extraFlags,
  ].flat();
  const { config } = await resolveServerConfig(parseServerFlags(argv, {}, rootDir));
  const running = await startServer(config);
  const { callbackKey } = running.deps;
  const endpoint = describeStorageEndpoint({
    endpoint: running.url,
    bucket: e2eBucket,
    region: 'cn-hangzhou',
    credentials: { accessKeyId: e2eAccessKeyId, accessKeySecret: e2eAccessKeySecret },
    callbackKeyUrl: callbackKey.publicKeyUrl,
    callbackKeyPem: callbackKey.publicKeyPem,
  });
  return {
    ...endpoint,
    running,
    rootDir,
    stop: async () => {
      await running.close();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

async function readObjectOverHttp(connection: StorageConnection, key: string): Promise<Buffer | undefined> {
  const response = await fetch(presignObjectUrl(connection, key, Date.now()).url);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`GET ${key} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
