import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { runUploadRecordStoreContract } from './upload-record-store.contract.js';
import { sampleConfirm, sampleNewRecord } from './upload-record-samples.js';
import { SqliteUploadRecordStore, sqliteSchemaVersion } from './sqlite-upload-record-store.js';
import { isUploadRecordStoreError } from './upload-record-store-error.js';
import type { ConfirmOutcome } from './upload-record-store.js';

function tempDbPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'upcall-records-'));
  return { path: join(dir, 'records.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runUploadRecordStoreContract('SqliteUploadRecordStore on a WAL file', () => {
  const db = tempDbPath();
  const store = new SqliteUploadRecordStore({ path: db.path });
  return Promise.resolve({ store, cleanup: async () => (await store.close(), db.remove()) });
});

runUploadRecordStoreContract('SqliteUploadRecordStore in memory', () => {
  const store = new SqliteUploadRecordStore({ path: ':memory:' });
  return Promise.resolve({ store, cleanup: () => store.close() });
});

describe('SqliteUploadRecordStore', () => {
  it('opens in WAL mode with a busy timeout of at most 1000 ms and records its schema version', async () => {
    const db = tempDbPath();
    const store = new SqliteUploadRecordStore({ path: db.path });
    const raw = new Database(db.path, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(raw.pragma('user_version', { simple: true }), sqliteSchemaVersion);
      assert.throws(() => new SqliteUploadRecordStore({ path: db.path, busyTimeoutMs: 1001 }), RangeError);
    } finally {
      raw.close();
      await store.close();
      db.remove();
    }
  });

  it('keeps records across reopen and refuses a database from a newer schema', async () => {
    const db = tempDbPath();
    try {
      const first = new SqliteUploadRecordStore({ path: db.path });
      await first.insertPending(sampleNewRecord());
      await first.close();
      const second = new SqliteUploadRecordStore({ path: db.path });
      assert.equal((await second.get('up-1'))?.status, 'pending');
      await second.close();
      const raw = new Database(db.path);
      raw.pragma(`user_version = ${sqliteSchemaVersion + 1}`);
      raw.close();
      assert.throws(() => new SqliteUploadRecordStore({ path: db.path }), /schema/);
    } finally {
      db.remove();
    }
  });

  it('rejects as unavailable within 1.5 s while another connection holds BEGIN EXCLUSIVE, leaving no row', async () => {
    const db = tempDbPath();
    const store = new SqliteUploadRecordStore({ path: db.path });
    const locker = new Database(db.path);
    try {
      await store.insertPending(sampleNewRecord());
      locker.exec('BEGIN EXCLUSIVE');
      const unavailable = (error: unknown): boolean =>
        isUploadRecordStoreError(error) && error.code === 'unavailable';
      let startedMs = Date.now();
      await assert.rejects(store.confirm(sampleConfirm()), unavailable);
      assert.ok(Date.now() - startedMs < 1500, `confirm took ${Date.now() - startedMs} ms`);
      startedMs = Date.now();
      await assert.rejects(store.insertPending(sampleNewRecord({ id: 'up-2' })), unavailable);
      assert.ok(Date.now() - startedMs < 1500, `insert took ${Date.now() - startedMs} ms`);
      locker.exec('ROLLBACK');
      assert.equal((await store.get('up-1'))?.status, 'pending');
      assert.equal(await store.get('up-2'), undefined);
      // OSS retries nothing, but the app's reconciliation or a retried callback then records it once.
      assert.equal((await store.confirm(sampleConfirm())).kind, 'confirmed');
      assert.equal((await store.confirm(sampleConfirm())).kind, 'replayed');
    } finally {
      locker.close();
      await store.close();
      db.remove();
    }
  });

  it('lets exactly one of many confirms from four separate connections in worker threads win', async () => {
    const db = tempDbPath();
    const store = new SqliteUploadRecordStore({ path: db.path });
    try {
      await store.insertPending(sampleNewRecord());
      const moduleUrl = new URL('./sqlite-upload-record-store.ts', import.meta.url).href;
      // Each worker loads the store, reports ready, and waits for 'go' so all four really race.
      const workerCode = `
        const { parentPort, workerData } = require('node:worker_threads');
        // Workers start without the test runner's TypeScript loader; tsx loads the module under test.
        import('tsx/esm/api').then(({ tsImport }) => tsImport(workerData.moduleUrl, workerData.moduleUrl))
        .then(({ SqliteUploadRecordStore }) => {
          const store = new SqliteUploadRecordStore({ path: workerData.path });
          parentPort.once('message', async () => {
            const kinds = await Promise.all(workerData.inputs.map((i) => store.confirm(i).then((o) => o.kind)));
            await store.close();
            parentPort.postMessage(kinds);
          });
          parentPort.postMessage('ready');
        });`;
      const workers = Array.from({ length: 4 }, (_, w) => {
        const inputs = Array.from({ length: 25 }, (_, i) =>
          sampleConfirm({ replyJson: `{"w":${w},"i":${i}}` }),
        );
        return new Worker(workerCode, { eval: true, workerData: { moduleUrl, path: db.path, inputs } });
      });
      const nextMessage = <T>(worker: Worker): Promise<T> =>
        new Promise<T>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      await Promise.all(workers.map((worker) => nextMessage<string>(worker)));
      const runs = workers.map((worker) => nextMessage<ConfirmOutcome['kind'][]>(worker));
      for (const worker of workers) worker.postMessage('go');
      const kinds = (await Promise.all(runs)).flat();
      assert.equal(kinds.length, 100);
      assert.equal(kinds.filter((k) => k === 'confirmed').length, 1);
      assert.equal(kinds.filter((k) => k === 'replayed').length, 99);
      assert.equal((await store.list()).length, 1);
    } finally {
      await store.close();
      db.remove();
    }
  });
});
