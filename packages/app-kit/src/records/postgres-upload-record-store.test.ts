import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { runUploadRecordStoreContract } from './upload-record-store.contract.js';
import { sampleConfirm, sampleNewRecord } from './upload-record-samples.js';
import { PostgresUploadRecordStore } from './postgres-upload-record-store.js';
import { isUploadRecordStoreError } from './upload-record-store-error.js';
import { startFaultProxy } from './fault-proxy.js';

// CI starts PostgreSQL with scripts/services/postgres-start.sh and exports DATABASE_URL.
const databaseUrl = process.env.DATABASE_URL;
const skip =
  databaseUrl === undefined || databaseUrl === ''
    ? 'DATABASE_URL is unset: start PostgreSQL with `eval "$(bash scripts/services/postgres-start.sh)"`'
    : false;

const unavailable = (error: unknown): boolean =>
  isUploadRecordStoreError(error) && error.code === 'unavailable';

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1500 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A store in a schema no other test run uses; cleanup drops it. */
function makeStore(
  overrides: Partial<ConstructorParameters<typeof PostgresUploadRecordStore>[0]> = {},
): Promise<{ store: PostgresUploadRecordStore; schema: string; cleanup: () => Promise<void> }> {
  const schema = `upcall_test_${randomBytes(6).toString('hex')}`;
  const store = new PostgresUploadRecordStore({ connectionString: databaseUrl ?? '', schema, ...overrides });
  const cleanup = async (): Promise<void> => {
    await store.close();
    await dropSchema(schema);
  };
  return Promise.resolve({ store, schema, cleanup });
}

async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const startedMs = Date.now();
  await work();
  return Date.now() - startedMs;
}

runUploadRecordStoreContract('PostgresUploadRecordStore', () => makeStore(), { skip });

describe('PostgresUploadRecordStore without a reachable database', () => {
  it('rejects confirm as unavailable within 2 s when nothing listens on the port', async () => {
    const store = new PostgresUploadRecordStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      const ms = await elapsedMs(() => assert.rejects(store.confirm(sampleConfirm()), unavailable));
      assert.ok(ms <= 2000, `took ${ms} ms`);
    } finally {
      await store.close();
    }
  });

  it('rejects confirm as unavailable within 2 s when the server accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const store = new PostgresUploadRecordStore({
      connectionString: `postgres://postgres@127.0.0.1:${port}/x`,
    });
    try {
      const ms = await elapsedMs(() => assert.rejects(store.confirm(sampleConfirm()), unavailable));
      assert.ok(ms <= 2000, `took ${ms} ms`);
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses timeouts above 1500 ms and schema names that are not plain identifiers', () => {
    const connectionString = 'postgres://postgres@127.0.0.1:1/none';
    assert.throws(
      () => new PostgresUploadRecordStore({ connectionString, queryTimeoutMs: 5000 }),
      RangeError,
    );
    assert.throws(
      () => new PostgresUploadRecordStore({ connectionString, connectionTimeoutMs: 1501 }),
      RangeError,
    );
    assert.throws(
      () => new PostgresUploadRecordStore({ connectionString, schema: 'x"; DROP SCHEMA public --' }),
      TypeError,
    );
    assert.throws(() => new PostgresUploadRecordStore({ connectionString, table: 'Records' }), TypeError);
  });
});

describe('PostgresUploadRecordStore against a real database', () => {
  const url = new URL(databaseUrl ?? 'postgres://localhost');

  it(
    'fails fast while the network is partitioned or the port is closed, then recovers',
    { skip },
    async (t) => {
      const proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
      const proxied = new URL(url.href);
      proxied.port = String(proxy.port);
      const { store, cleanup } = await makeStore({ connectionString: proxied.href });
      t.after(async () => (await proxy.setMode('forward'), await cleanup(), await proxy.close()));
      await store.insertPending(sampleNewRecord());

      await proxy.setMode('blackhole'); // pooled connections hang mid-session
      let ms = await elapsedMs(() => assert.rejects(store.confirm(sampleConfirm()), unavailable));
      assert.ok(ms <= 2000, `blackhole: ${ms} ms`);
      await proxy.setMode('refuse');
      ms = await elapsedMs(() => assert.rejects(store.confirm(sampleConfirm()), unavailable));
      assert.ok(ms <= 2000, `refused: ${ms} ms`);

      await proxy.setMode('forward');
      assert.equal((await store.get('up-1'))?.status, 'pending');
      assert.equal((await store.confirm(sampleConfirm())).kind, 'confirmed');
      assert.equal((await store.list()).length, 1);
    },
  );

  it(
    'rejects within 2 s when another session holds the row lock, and changes nothing',
    { skip },
    async (t) => {
      const { store, schema, cleanup } = await makeStore();
      const locker = new pg.Client({ connectionString: databaseUrl });
      t.after(async () => (await locker.end(), await cleanup()));
      await store.insertPending(sampleNewRecord());
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query(`SELECT * FROM "${schema}".upload_records WHERE id = 'up-1' FOR UPDATE`);
      const ms = await elapsedMs(() => assert.rejects(store.confirm(sampleConfirm()), unavailable));
      assert.ok(ms <= 2000, `took ${ms} ms`);
      await locker.query('ROLLBACK');
      // A statement merely abandoned by the client would now take the lock and commit; give it time to.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await store.get('up-1'))?.status, 'pending');
      assert.equal((await store.confirm(sampleConfirm())).kind, 'confirmed');
    },
  );

  it(
    'lets one of 100 confirms spread over two app instances win, sharing one table created concurrently',
    { skip },
    async (t) => {
      const first = await makeStore();
      const second = new PostgresUploadRecordStore({
        connectionString: databaseUrl ?? '',
        schema: first.schema,
      });
      t.after(async () => (await second.close(), await first.cleanup()));
      const [a, b] = await Promise.all([first.store.list(), second.list()]);
      assert.deepEqual([a, b], [[], []]);
      await first.store.insertPending(sampleNewRecord());
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 === 0 ? first.store : second).confirm(sampleConfirm({ replyJson: `{"i":${i}}` })),
        ),
      );
      assert.equal(outcomes.filter((o) => o.kind === 'confirmed').length, 1);
      assert.equal(outcomes.filter((o) => o.kind === 'replayed').length, 99);
      assert.equal((await second.list()).length, 1);
    },
  );
});
