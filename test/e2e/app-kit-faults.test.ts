// Callback faults end to end (threats §C6.54, §C6.55, §C6.57, §C6.58, §C7.61; §B13): Upcall's real storage
// server sends genuine signed callbacks through a recording relay to an app built from app-kit. Duplicate
// and replayed deliveries confirm once and all get the first reply; a reply that gets back after storage's
// timeout leaves a confirmed record behind a 203 and a retry cannot confirm twice; a storage server killed
// between its commit and the callback leaves an object that reconciliation records; a locked SQLite
// database or an unreachable PostgreSQL makes the app answer non-200 inside 2 s so storage answers the
// uploader 203 (OSS waits 5 s and never retries, §9.1), and reconciliation plus a re-delivered callback
// repair the record exactly once when the database is back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresUploadRecordStore, SqliteUploadRecordStore, reconcileUploads } from '@upcall/app-kit';
import { startFaultProxy, type FaultMode } from '../../packages/app-kit/src/records/fault-proxy.js';
import { sendCapturedCallback } from './support/app-kit-callback-relay.js';
import {
  assertFastRefusalAnd203,
  assertRepairedOnce,
  onlyCapture,
  openScenario,
  uploadText,
} from './support/app-kit-fault-scenario.js';
import { startAppKitStorage, type AppKitStorage } from './support/app-kit-storage.js';
import { startStorageProcess, type StorageProcess } from './support/app-kit-storage-process.js';
import { md5Etag, postTicketForm, readErrorCode } from './support/app-kit-upload.js';

const databaseUrl = process.env.DATABASE_URL ?? '';
const skipPostgres =
  databaseUrl === ''
    ? 'DATABASE_URL is unset: start PostgreSQL with `eval "$(bash scripts/services/postgres-start.sh)"`'
    : false;

describe('app-kit callback faults with Upcall storage', () => {
  let storage: AppKitStorage;
  before(async () => {
    storage = await startAppKitStorage();
  });
  after(() => storage?.stop());

  const sqliteStore = (name: string): SqliteUploadRecordStore =>
    new SqliteUploadRecordStore({ path: join(storage.rootDir, `${name}.db`) });

  describe('duplicate and replayed deliveries', () => {
    it('answers 20 concurrent replays of a confirmed genuine callback with 200 and the same JSON, confirming once', async () => {
      const scenario = await openScenario(storage, sqliteStore('replayed'), 'faults-replayed');
      try {
        const { app, relay, logged } = scenario;
        const ticket = await app.requestTicket('carol', { trust: 'pinned', filename: 'notes.txt' });
        const { answer } = await uploadText(ticket, 'replay me\n');
        assert.equal(answer.status, 200, answer.text);
        const confirmedAtMs = (await logged.store.get(ticket.uploadId))?.confirmedAtMs;
        const callback = onlyCapture(relay);

        const replies = await Promise.all(
          Array.from({ length: 20 }, () => sendCapturedCallback(callback, app.origin())),
        );

        for (const reply of replies) {
          assert.deepEqual([reply.status, reply.body.toString('utf8')], [200, answer.text]);
        }
        assert.deepEqual(app.hookCalls, [ticket.uploadId]);
        assert.deepEqual(logged.outcomes, ['confirmed']);
        const records = await logged.store.list();
        assert.equal(records.length, 1);
        assert.equal(records[0]?.confirmedAtMs, confirmedAtMs);
      } finally {
        await scenario.close();
      }
    });

    it('confirms once when one genuine callback reaches a pending record 20 times at once, every delivery getting the stored reply', async () => {
      const scenario = await openScenario(storage, sqliteStore('duplicated'), 'faults-duplicated');
      try {
        const { app, relay, logged } = scenario;
        const ticket = await app.requestTicket('dave', { trust: 'fetched', filename: 'notes.txt' });
        await app.stop();
        const { answer } = await uploadText(ticket, 'delivered twenty times\n');
        assert.equal(answer.status, 203, answer.text);
        await app.listen();

        const replies = await Promise.all(
          Array.from({ length: 20 }, () => sendCapturedCallback(onlyCapture(relay), app.origin())),
        );

        const record = await logged.store.get(ticket.uploadId);
        assert.equal(record?.status, 'confirmed');
        for (const reply of replies) {
          assert.deepEqual([reply.status, reply.body.toString('utf8')], [200, record.replyJson]);
        }
        assert.deepEqual(
          logged.outcomes.filter((kind) => kind === 'confirmed'),
          ['confirmed'],
        );
        assert.equal((await logged.store.list()).length, 1);
      } finally {
        await scenario.close();
      }
    });
  });

  describe('an app reply that reaches storage after its 5 s callback timeout', () => {
    it('keeps the one confirmed record although the uploader saw 203; reconciliation leaves it alone and re-posting the form is refused with 409 without a second callback', async () => {
      // The reply takes 6 s to get back (threats §C6.55): the app has confirmed, storage has given up.
      const lateMs = 6000;
      const scenario = await openScenario(storage, sqliteStore('late-reply'), 'faults-late-reply', {
        beforeAnswer: () => new Promise((resolve) => setTimeout(resolve, lateMs)),
      });
      try {
        const { app, relay, logged } = scenario;
        const ticket = await app.requestTicket('grace', { trust: 'pinned', filename: 'notes.txt' });
        const { answer, bytes } = await uploadText(ticket, 'confirmed, though the uploader saw 203\n');

        assert.equal(answer.status, 203, answer.text);
        assert.equal(readErrorCode(answer.text), 'CallbackFailed');
        assert.match(answer.text, /reply timeout/);
        assert.equal(relay.exchanges[0]?.answer?.status, 200);
        const record = await logged.store.get(ticket.uploadId);
        assert.deepEqual(
          [record?.status, record?.size, record?.etag],
          ['confirmed', bytes.length, md5Etag(bytes)],
        );
        const summary = await reconcileUploads({
          store: logged.store,
          listObjects: storage.listObjects,
          nowMs: Date.now(),
        });
        assert.equal(summary.markedStoredUnconfirmed, 0);
        assert.deepEqual(await logged.store.get(ticket.uploadId), record);

        // The uploader retries the whole upload with the same ticket: no-overwrite is pinned.
        const retried = await postTicketForm(ticket, { name: 'notes.txt', type: 'text/plain', bytes });
        assert.equal(retried.status, 409, retried.text);
        assert.equal(readErrorCode(retried.text), 'FileAlreadyExists');
        assert.equal(relay.exchanges.length, 1, 'no second callback');
        assert.equal((await logged.store.list()).length, 1);
        assert.deepEqual(app.hookCalls, [ticket.uploadId]);
      } finally {
        await scenario.close();
      }
    });
  });

  describe('storage killed after the commit, before the callback', () => {
    it('keeps the object with no callback sent; after a restart reconciliation marks the record stored-unconfirmed', async () => {
      // threats §C7.61: the commit protocol leaves the same state as OSS's 203 (§B13).
      const dataDir = join(storage.rootDir, 'killed-storage');
      const armed = await startStorageProcess(dataDir, 'after-index-commit:kill:1');
      let restarted: StorageProcess | undefined;
      const scenario = await openScenario(armed, sqliteStore('killed'), 'faults-killed');
      try {
        const { app, relay, logged } = scenario;
        const ticket = await app.requestTicket('heidi', { trust: 'pinned', filename: 'notes.txt' });
        const bytes = Buffer.from('committed, then the storage server died\n');

        await assert.rejects(postTicketForm(ticket, { name: 'notes.txt', type: 'text/plain', bytes }));

        assert.deepEqual(await armed.server.exited, { code: null, signal: 'SIGKILL' });
        assert.equal(relay.exchanges.length, 0, 'no callback was sent');
        assert.equal((await logged.store.get(ticket.uploadId))?.status, 'pending');
        restarted = await startStorageProcess(dataDir);
        assert.deepEqual(await restarted.readObject(ticket.key!), bytes);
        const listObjects = restarted.listObjects;
        const summary = await reconcileUploads({ store: logged.store, listObjects, nowMs: Date.now() });
        assert.equal(summary.markedStoredUnconfirmed, 1);
        const record = await logged.store.get(ticket.uploadId);
        assert.deepEqual(
          [record?.status, record?.objectKey, record?.size, record?.etag],
          ['stored-unconfirmed', ticket.key, bytes.length, md5Etag(bytes)],
        );
      } finally {
        await scenario.close();
        await armed.server.kill();
        await restarted?.server.stop();
      }
    });
  });

  describe('SQLite locked at callback time', () => {
    it('answers non-200 within 2 s while another connection holds BEGIN EXCLUSIVE, storage answers 203, and after the lock is released reconciliation and a re-delivered callback repair the record once', async () => {
      const real = sqliteStore('locked');
      const locker = new Database(join(storage.rootDir, 'locked.db'));
      const scenario = await openScenario(storage, real, 'faults-sqlite-locked');
      try {
        const ticket = await scenario.app.requestTicket('erin', { trust: 'pinned', filename: 'notes.txt' });
        locker.exec('BEGIN EXCLUSIVE');
        const { answer, bytes } = await uploadText(ticket, 'stored while the database was locked\n');
        locker.exec('ROLLBACK');

        assertFastRefusalAnd203(scenario.relay, answer);
        const refusal = scenario.relay.exchanges[0]!.answer!;
        assert.deepEqual(JSON.parse(refusal.body.toString('utf8')), { error: 'store-unavailable' });
        await assertRepairedOnce(storage, scenario, ticket, bytes);
      } finally {
        if (locker.inTransaction) locker.exec('ROLLBACK');
        locker.close();
        await scenario.close();
      }
    });
  });

  describe('PostgreSQL unavailable at callback time', { skip: skipPostgres }, () => {
    const faults: ReadonlyArray<readonly [FaultMode, string]> = [
      ['blackhole', 'a network partition (connections go silent)'],
      ['refuse', 'the database refusing connections (stopped)'],
    ];
    for (const [mode, what] of faults) {
      it(`answers non-200 within 2 s during ${what}, storage answers 203, and once the proxy is restored the pool recovers and reconciliation and a re-delivered callback repair the record once`, async () => {
        const target = new URL(databaseUrl);
        const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
        const schema = `upcall_e2e_${randomBytes(6).toString('hex')}`;
        const viaProxy = new URL(databaseUrl);
        viaProxy.port = String(proxy.port);
        const real = new PostgresUploadRecordStore({ connectionString: viaProxy.href, schema });
        let cutDuringCallback = false;
        const cut = async (): Promise<void> => {
          if (cutDuringCallback) await proxy.setMode(mode);
        };
        const scenario = await openScenario(storage, real, `faults-postgres-${mode}`, {
          beforeForward: cut,
        });
        try {
          const ticket = await scenario.app.requestTicket('frank', {
            trust: 'pinned',
            filename: 'notes.txt',
          });
          cutDuringCallback = true;
          const { answer, bytes } = await uploadText(ticket, `stored during ${mode}\n`);
          await proxy.setMode('forward');

          assertFastRefusalAnd203(scenario.relay, answer);
          await assertRepairedOnce(storage, scenario, ticket, bytes);
        } finally {
          await scenario.close();
          await proxy.close();
          await dropSchema(schema);
        }
      });
    }
  });
});

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1500 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
