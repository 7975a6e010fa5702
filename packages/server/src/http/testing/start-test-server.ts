// Test helper: a real server on 127.0.0.1 with an ephemeral port, an in-memory store (switchable via
// `store`), a silent logger, fixed credentials and the emulator test key from test/vectors.
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { crc64Ecma } from '@upcall/protocol';
import type { ServerConfig } from '../../config/server-config.js';
import {
  buildServiceHosts,
  startServer,
  type RunningServer,
  type StartServerOverrides,
} from '../../server.js';
import { createRequestListener } from '../handle-request.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import type { NewObjectMeta, ObjectMeta, ObjectStore } from '../../store/object-store.js';

export const testAccessKeyId = 'UPCTESTACCESSKEYID000001';
export const testAccessKeySecret = 'test-secret-000000000000000000';

const testKeyPem = readFileSync(
  new URL('../../../../../test/vectors/emulator-test-key.pem', import.meta.url),
  'utf8',
);

export function buildTestConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: '/nonexistent-upcall-test-dir',
    buckets: ['uploads'],
    accessKeyId: testAccessKeyId,
    accessKeySecret: testAccessKeySecret,
    callbackTargets: 'dev',
    corsOrigins: ['*'],
    publicEndpoint: '',
    callbackTimeoutMs: 5_000,
    callbackKeyBits: 2048,
    maxObjectBytes: 5 * 1024 ** 3,
    shutdownGraceMs: 2_000,
    ...overrides,
  };
}

export interface TestServer extends RunningServer {
  readonly store: ObjectStore;
  readonly port: number;
}

export interface TestServerOptions extends Omit<StartServerOverrides, 'store'> {
  readonly config?: Partial<ServerConfig>;
  readonly store?: ObjectStore;
  readonly log?: Logger;
  /**
   * Custom domains → bucket (ali-oss `cname: true`). Config has no such setting yet, so the test server
   * re-mounts the request listener with it (graceful draining is then not signalled to responses).
   */
  readonly bucketHosts?: ReadonlyMap<string, string>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? new MemoryObjectStore();
  const privateKey = createPrivateKey(testKeyPem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const running = await startServer(buildTestConfig(options.config), {
    ...options,
    store,
    log: options.log ?? pino({ level: 'silent' }),
    callbackKey: options.callbackKey ?? { privateKey, publicKeyPem },
  });
  if (options.bucketHosts !== undefined) {
    const serviceHosts = buildServiceHosts(running.deps.config);
    running.server.removeAllListeners('request');
    running.server.on(
      'request',
      createRequestListener(running.deps, { serviceHosts, bucketHosts: options.bucketHosts }),
    );
  }
  return { ...running, store, port: running.deps.config.port };
}

/** Puts an object straight into the store (bypassing HTTP), with real checksums. */
export async function putTestObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  body: string | Buffer,
  meta: Partial<Omit<NewObjectMeta, 'bucket' | 'key'>> = {},
): Promise<ObjectMeta> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const pending = await store.beginPut({
    bucket,
    key,
    contentType: 'text/plain',
    headers: {},
    userMeta: {},
    acl: 'default',
    storageClass: 'Standard',
    ...meta,
  });
  pending.sink.end(bytes);
  const md5 = createHash('md5').update(bytes);
  const digest = md5.digest();
  const { meta: stored } = await pending.commit({
    size: bytes.length,
    etag: `"${digest.toString('hex').toUpperCase()}"`,
    contentMd5: digest.toString('base64'),
    crc64: crc64Ecma(bytes),
  });
  return stored;
}
