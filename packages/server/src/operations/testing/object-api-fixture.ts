// Test fixture for the object-API suites: the real server on 127.0.0.1 over a MemoryObjectStore, an
// FsObjectStore in a fresh temporary directory or an S3ObjectStore on fresh backend buckets (the store
// under test, store/testing/open-store-under-test.ts), with a custom domain bound to `uploads` (ali-oss
// `cname: true`), an adjustable server clock (to expire presigned URLs without waiting), and ali-oss
// clients for every addressing mode and signature version.
import type { Agent } from 'node:http';
import type { ObjectStore } from '../../store/object-store.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import { openStoreUnderTest } from '../../store/testing/open-store-under-test.js';
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

/** 's3' needs a backend (skipStoreUnderTest says when to skip); storeKinds lists the two that never do. */
export type StoreKind = 'memory' | 'fs' | 's3';
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

async function openStore(
  kind: StoreKind,
  now: () => number,
): Promise<{ store: ObjectStore; cleanup: () => Promise<void> }> {
  if (kind === 'memory') return { store: new MemoryObjectStore({ now }), cleanup: () => Promise.resolve() };
  return openStoreUnderTest(kind, { now });
}

export async function openObjectApiFixture(
  kind: StoreKind,
  config: Partial<ServerConfig> = {},
): Promise<ObjectApiFixture> {
  let skewMs = 0;
  const now = (): number => Date.now() + skewMs;
  const { store, cleanup } = await openStore(kind, now);
  const server = await startTestServer({
    store,
    now,
    config: { buckets: [apiBucket], ...config },
    bucketHosts: new Map([[testCustomDomain, apiBucket]]),
  }).catch(async (error: unknown) => {
    await cleanup();
    throw error;
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
      await cleanup();
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
