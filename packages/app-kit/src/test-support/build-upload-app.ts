// Test support: the three app-kit handlers wired the way an application would (cookie user, emulator key
// trusted by pinned PEM), for the adapter tests to mount in node:http, Express and Fastify.
import { SqliteUploadRecordStore } from '../records/sqlite-upload-record-store.js';
import { createCallbackHandler } from '../handlers/create-callback-handler.js';
import { createRecordsHandler } from '../handlers/create-records-handler.js';
import { createTicketHandler } from '../handlers/create-ticket-handler.js';
import type { WebHandler } from '../handlers/web-handler.js';
import { createCallbackKeyTrust } from '../verify/callback-key-trust.js';
import { readEmulatorTestKey, type SigningKey } from './build-signed-callback.js';

export interface UploadApp {
  readonly store: SqliteUploadRecordStore;
  readonly key: SigningKey;
  readonly tickets: WebHandler;
  readonly callback: WebHandler;
  readonly records: WebHandler;
}

export function readCookieUser(request: Request): string | undefined {
  return /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
}

/** `callbackUrl()` is read per ticket, because the server's port is known only after listening. */
export function buildUploadApp(callbackUrl: () => string): UploadApp {
  const store = new SqliteUploadRecordStore({ path: ':memory:' });
  const key = readEmulatorTestKey();
  const trust = createCallbackKeyTrust({ pinnedKeys: { [key.publicKeyUrl]: key.publicKeyPem } });
  return {
    store,
    key,
    tickets: createTicketHandler({
      getUserId: readCookieUser,
      ticketOptions: (request) => {
        const query = new URL(request.url).searchParams;
        return {
          credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
          region: 'cn-hangzhou',
          bucket: 'examplebucket',
          host: 'http://127.0.0.1:9000',
          filename: query.get('filename') ?? undefined,
          maxSizeBytes: 1024 * 1024,
          callback: {
            urls: callbackUrl(),
            ...(query.get('body') === 'json' ? { bodyType: 'application/json' as const } : {}),
          },
        };
      },
      store,
    }),
    callback: createCallbackHandler({
      verifyOptions: { trust },
      store,
      onUploadConfirmed: (record, callback) => ({ ok: true, key: callback.object, id: record.id }),
    }),
    records: createRecordsHandler({ store, getUserId: readCookieUser }),
  };
}
