// Test support: the callback handler served by the node:http adapter on 127.0.0.1, with a real SQLite
// store, the emulator test key trusted by pinned PEM, and a ticket issuer whose callback URL points at it.
import { toNodeHandler } from '../adapters/to-node-handler.js';
import { createCallbackHandler, type CallbackHandlerOptions } from '../handlers/create-callback-handler.js';
import { SqliteUploadRecordStore } from '../records/sqlite-upload-record-store.js';
import type { UploadRecordStore } from '../records/upload-record-store.js';
import type { TicketCallbackOptions } from '../tickets/build-ticket-callback.js';
import { issueUploadTicket } from '../tickets/issue-upload-ticket.js';
import type { UploadTicket } from '../tickets/upload-ticket.js';
import { createCallbackKeyTrust } from '../verify/callback-key-trust.js';
import { readEmulatorTestKey } from './build-signed-callback.js';
import { serveOnLoopback, type TestServer } from './serve-on-loopback.js';

export const harnessKey = readEmulatorTestKey();
const trust = createCallbackKeyTrust({ pinnedKeys: { [harnessKey.publicKeyUrl]: harnessKey.publicKeyPem } });

export interface CallbackHarness {
  readonly server: TestServer;
  readonly store: UploadRecordStore;
  readonly hookCalls: string[];
  readonly issue: (callback?: Partial<TicketCallbackOptions>, target?: string) => Promise<UploadTicket>;
}

/**
 * How toNodeHandler serves the handler: 'direct' from the request parts (its callback fast path), or
 * 'web objects' through Request/Response, as for any other Web handler; both must answer alike.
 */
export type CallbackServingPath = 'direct' | 'web objects';

export async function withCallbackHarness(
  fn: (harness: CallbackHarness) => Promise<void>,
  options: {
    store?: UploadRecordStore;
    handler?: Partial<CallbackHandlerOptions>;
    path?: CallbackServingPath;
  } = {},
): Promise<void> {
  const store = options.store ?? new SqliteUploadRecordStore({ path: ':memory:' });
  const hookCalls: string[] = [];
  const handler = createCallbackHandler({
    verifyOptions: { trust },
    store,
    onUploadConfirmed: (record, callback) => {
      hookCalls.push(record.id);
      return { status: 'OK', uploadId: record.id, size: callback.size, 中文: '✓' };
    },
    ...options.handler,
  });
  // A plain wrapper function carries no fast path, so toNodeHandler goes through Request/Response.
  const served =
    options.path === 'web objects' ? (...args: Parameters<typeof handler>) => handler(...args) : handler;
  const server = await serveOnLoopback(toNodeHandler(served));
  let counter = 0;
  const issue = (callback: Partial<TicketCallbackOptions> = {}, target = '/oss/callback?app=1') =>
    issueUploadTicket({
      credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
      region: 'cn-hangzhou',
      bucket: 'examplebucket',
      host: 'http://127.0.0.1:9000',
      userId: 'alice',
      filename: 'a.png',
      maxSizeBytes: 1024,
      callback: { urls: `${server.origin}${target}`, ...callback },
      store,
      randomBytes: (size) => Buffer.alloc(size, ++counter),
    });
  try {
    await fn({ server, store, hookCalls, issue });
  } finally {
    await server.close();
    await store.close();
  }
}

/** A real store with some methods replaced, to stage faults (the handler, not the store, is under test). */
export function wrapStore(
  real: UploadRecordStore,
  overrides: (real: UploadRecordStore) => Partial<UploadRecordStore>,
): UploadRecordStore {
  return {
    insertPending: (record) => real.insertPending(record),
    get: (id) => real.get(id),
    confirm: (input) => real.confirm(input),
    markStoredUnconfirmed: (id, found) => real.markStoredUnconfirmed(id, found),
    expirePending: (nowMs) => real.expirePending(nowMs),
    list: (options) => real.list(options),
    close: () => real.close(),
    ...overrides(real),
  };
}
