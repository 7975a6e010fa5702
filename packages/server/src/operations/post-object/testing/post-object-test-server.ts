// Test helper: the real Upcall server (HTTP core + router + PostObject) on 127.0.0.1 with a fixed clock,
// plus, for options the core does not expose (short pre-file deadline, an injected DNS resolver), a
// second listener that runs createPostObject(options) with the same deps and the core's error sender.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { ServerConfig } from '../../../config/server-config.js';
import type { RequestContext } from '../../../http/request-context.js';
import { sendError } from '../../../http/send-error.js';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../../../http/testing/start-test-server.js';
import { FsObjectStore } from '../../../store/fs-object-store.js';
import type { ObjectStore } from '../../../store/object-store.js';
import { createPostObject, type PostObjectOptions } from '../post-object.js';

/** 2025-01-02T03:04:05Z: every test signs and checks policies against this instant. */
export const fixedNowMs = Date.UTC(2025, 0, 2, 3, 4, 5);
export const testBucket = 'uploads';
export const publicBucket = 'open-uploads';
export { testAccessKeyId, testAccessKeySecret };

export async function startPostObjectServer(
  options: { store?: ObjectStore; config?: Partial<ServerConfig>; log?: Logger } = {},
): Promise<TestServer> {
  const server = await startTestServer({
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.log === undefined ? {} : { log: options.log }),
    config: { buckets: [testBucket], ...options.config },
    now: () => fixedNowMs,
  });
  await server.store.createBucket(publicBucket, 'public-read-write');
  return server;
}

export interface CustomPostObjectServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves every request with createPostObject(options), bucket = first path segment. */
export async function startCustomPostObjectServer(
  base: TestServer,
  options: PostObjectOptions,
): Promise<CustomPostObjectServer> {
  const operation = createPostObject(options);
  const { deps } = base;
  const server: Server = createServer((req, res) => {
    const requestId = 'CUSTOM0000000000000000001';
    const ctx: RequestContext = {
      requestId,
      req,
      res,
      bucket: (req.url ?? '/').split('/')[1]?.split('?')[0] || undefined,
      key: undefined,
      query: [],
      rawQuery: '',
      hostId: '127.0.0.1',
      clientIp: req.socket.remoteAddress ?? '',
      startedMs: deps.now(),
      log: deps.log,
    };
    operation(ctx, deps).catch((error: unknown) => {
      sendError(req, res, error, { requestId, hostId: ctx.hostId, log: pino({ level: 'silent' }) });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface TempFsStore {
  readonly store: FsObjectStore;
  readonly tmpDir: string;
  /** Names of files in the store's staging directory (must be empty after every request). */
  listTempFiles(): Promise<string[]>;
  remove(): Promise<void>;
}

export async function openTempFsStore(): Promise<TempFsStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'upcall-post-object-'));
  const store = await FsObjectStore.open({ dataDir, now: () => fixedNowMs });
  const tmpDir = join(dataDir, 'tmp');
  return {
    store,
    tmpDir,
    listTempFiles: () => readdir(tmpDir),
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}
