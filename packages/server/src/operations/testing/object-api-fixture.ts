// Test fixture for the object-API suites: the real server on 127.0.0.1 over a MemoryObjectStore or an
// FsObjectStore in a fresh temporary directory, with a custom domain bound to `uploads` (ali-oss
// `cname: true`), an adjustable server clock (to expire presigned URLs without waiting), and ali-oss
// clients for every addressing mode and signature version.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from 'node:http';
import type { ObjectStore } from '../../store/object-store.js';
import { FsObjectStore } from '../../store/fs-object-store.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import type { ServerConfig } from '../../config/server-config.js';
import {
  buildAddressingOptions,
  createAliOssClient,
  createLoopbackAgent,
  testCustomDomain,
  type AddressingMode,
  type AliOssClient,
} from '../../http/testing/create-ali-oss-client.js';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../../http/testing/start-test-server.js';

export type StoreKind = 'memory' | 'fs';
export type SignatureVersion = 'v1' | 'v4';

export const storeKinds: readonly StoreKind[] = ['memory', 'fs'];
export const addressingModes: readonly AddressingMode[] = ['ip-endpoint', 'path-style', 'custom-domain'];
export const signatureVersions: readonly SignatureVersion[] = ['v1', 'v4'];
export const apiBucket = 'uploads';

export interface ObjectApiFixture {
  readonly server: TestServer;
  readonly store: ObjectStore;
  readonly port: number;
  /** Shifts the server's clock (ms); reset to 0 after use. */
  setClockSkewMs(skewMs: number): void;
  client(
    mode: AddressingMode,
    version: SignatureVersion,
    overrides?: { bucket?: string; accessKeySecret?: string },
  ): AliOssClient;
  close(): Promise<void>;
}

async function openStore(kind: StoreKind, now: () => number): Promise<{ store: ObjectStore; dir?: string }> {
  if (kind === 'memory') return { store: new MemoryObjectStore({ now }) };
  const dir = await mkdtemp(join(tmpdir(), 'upcall-object-api-'));
  return { store: await FsObjectStore.open({ dataDir: join(dir, 'data'), now }), dir };
}

export async function openObjectApiFixture(
  kind: StoreKind,
  config: Partial<ServerConfig> = {},
): Promise<ObjectApiFixture> {
  let skewMs = 0;
  const now = (): number => Date.now() + skewMs;
  const { store, dir } = await openStore(kind, now);
  const server = await startTestServer({
    store,
    now,
    config: { buckets: [apiBucket], ...config },
    bucketHosts: new Map([[testCustomDomain, apiBucket]]),
  });
  const agent: Agent = createLoopbackAgent();
  return {
    server,
    store,
    port: server.port,
    setClockSkewMs: (value) => {
      skewMs = value;
    },
    client: (mode, version, overrides = {}) =>
      createAliOssClient({
        ...buildAddressingOptions(mode, server.port, agent),
        bucket: overrides.bucket ?? apiBucket,
        accessKeyId: testAccessKeyId,
        accessKeySecret: overrides.accessKeySecret ?? testAccessKeySecret,
        authorizationV4: version === 'v4',
      }),
    close: async () => {
      agent.destroy();
      await server.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The ali-oss error a promise rejects with (fails the test when it resolves). */
export async function captureAliOssError(
  promise: Promise<unknown>,
): Promise<{ name: string; code: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; code: string; status: number };
  }
  throw new Error('expected the ali-oss call to fail');
}
