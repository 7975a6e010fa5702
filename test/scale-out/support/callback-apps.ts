// The application side of the scale-out test: two app instances (node:http + app-kit's callback handler)
// over one upload-record store — PostgreSQL when DATABASE_URL is set (several app instances need it),
// else in-memory SQLite — trusting only the gateway's shared callback key. Counts every first
// confirmation per upload id, so the test can check that each upload was confirmed exactly once.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  PostgresUploadRecordStore,
  SqliteUploadRecordStore,
  createCallbackHandler,
  createCallbackKeyTrust,
  toNodeHandler,
  type UploadRecordStore,
} from '@upcall/app-kit';

export interface CallbackApps {
  readonly store: UploadRecordStore;
  readonly storeKind: 'postgres' | 'sqlite';
  /** Callback URLs of the app instances. */
  readonly urls: readonly string[];
  /** Upload id → how many times a callback confirmed it for the first time. */
  readonly confirmations: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/callback`;
}

function openRecordStore(): {
  store: UploadRecordStore & { close(): Promise<void> | void };
  kind: 'postgres' | 'sqlite';
  drop: () => Promise<void>;
} {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === '') {
    return {
      store: new SqliteUploadRecordStore({ path: ':memory:' }),
      kind: 'sqlite',
      drop: () => Promise.resolve(),
    };
  }
  const schema = `upcall_scaleout_${randomBytes(6).toString('hex')}`;
  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  return {
    store: new PostgresUploadRecordStore({ connectionString: databaseUrl, schema }),
    kind: 'postgres',
    drop,
  };
}

export async function startCallbackApps(
  keyUrl: string,
  publicKeyPem: string,
  count = 2,
): Promise<CallbackApps> {
  const { store, kind, drop } = openRecordStore();
  const confirmations = new Map<string, number>();
  const trust = createCallbackKeyTrust({ pinnedKeys: { [keyUrl]: publicKeyPem } });
  const handler = createCallbackHandler({
    verifyOptions: { trust },
    store,
    confirmBudgetMs: 4_000,
    onUploadConfirmed: (record) => {
      confirmations.set(record.id, (confirmations.get(record.id) ?? 0) + 1);
      return { ok: true, id: record.id };
    },
  });
  const servers = Array.from({ length: count }, () => createServer(toNodeHandler(handler)));
  const urls = await Promise.all(servers.map(listen));
  return {
    store,
    storeKind: kind,
    urls,
    confirmations,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
      await store.close();
      await drop();
    },
  };
}
