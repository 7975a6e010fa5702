import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sampleConfirm, sampleNewRecord } from './upload-record-samples.js';
import { SqliteUploadRecordStore } from './sqlite-upload-record-store.js';
import { SqliteGroupCommit } from '@upcall/sqlite-group-commit';
import { isUploadRecordStoreError } from './upload-record-store-error.js';

function tempDb(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'upcall-batch-'));
  return { path: join(dir, 'b.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function openTable(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)');
  return db;
}

describe('SqliteGroupCommit', () => {
  it('commits the writes queued in one event-loop turn as one transaction, durable before any resolves', async () => {
    const file = tempDb();
    const db = openTable(file.path);
    const reader = new Database(file.path, { readonly: true });
    const batch = new SqliteGroupCommit(db);
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    const count = reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM t');
    try {
      // Another connection sees every row of the batch by the time the first promise settles.
      const seenAtResolve = await Promise.all(
        Array.from({ length: 50 }, (_, i) => batch.run(() => insert.run(`k${i}`)).then(() => count.get()?.n)),
      );
      assert.deepEqual(new Set(seenAtResolve), new Set([50]));
      assert.deepEqual(batch.stats, { batches: 1, members: 50, largestBatch: 50 });
      await batch.run(() => insert.run('later'));
      assert.equal(batch.stats.batches, 2);
    } finally {
      reader.close();
      db.close();
      file.remove();
    }
  });

  it('rolls back only the member that throws; the others of its batch commit', async () => {
    const file = tempDb();
    const db = openTable(file.path);
    const batch = new SqliteGroupCommit(db);
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    try {
      const results = await Promise.allSettled([
        batch.run(() => insert.run('a')),
        batch.run(() => {
          insert.run('b');
          insert.run('a'); // constraint violation: 'b' must vanish with it
        }),
        batch.run(() => insert.run('c')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const keys = db.prepare<[], { k: string }>('SELECT k FROM t ORDER BY k').all();
      assert.deepEqual(
        keys.map((r) => r.k),
        ['a', 'c'],
      );
      assert.equal(batch.stats.batches, 1);
    } finally {
      db.close();
      file.remove();
    }
  });

  it('rejects every member and stores nothing when the batch cannot take the write lock', async () => {
    const file = tempDb();
    const db = openTable(file.path);
    db.pragma('busy_timeout = 50');
    const locker = new Database(file.path);
    const batch = new SqliteGroupCommit(db);
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    try {
      locker.exec('BEGIN EXCLUSIVE');
      const results = await Promise.allSettled([
        batch.run(() => insert.run('x')),
        batch.run(() => insert.run('y')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'rejected'],
      );
      locker.exec('ROLLBACK');
      assert.equal(db.inTransaction, false);
      assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM t').get()?.n, 0);
    } finally {
      locker.close();
      db.close();
      file.remove();
    }
  });
});

describe('SqliteUploadRecordStore group commit', () => {
  it('gives each concurrent insert its own outcome: a duplicate id is refused, its batch-mates stored', async () => {
    const store = new SqliteUploadRecordStore({ path: ':memory:' });
    try {
      const results = await Promise.allSettled([
        store.insertPending(sampleNewRecord({ id: 'a' })),
        store.insertPending(sampleNewRecord({ id: 'a' })),
        store.insertPending(sampleNewRecord({ id: 'b' })),
      ]);
      assert.equal(results[0]?.status, 'fulfilled');
      assert.ok(results[1]?.status === 'rejected' && isUploadRecordStoreError(results[1].reason));
      assert.equal(results[1].reason.code, 'duplicate-id');
      assert.equal(results[2]?.status, 'fulfilled');
      assert.equal((await store.list()).length, 2);
    } finally {
      await store.close();
    }
  });

  it('commits writes that were queued when close() is called before closing', async () => {
    const file = tempDb();
    try {
      const store = new SqliteUploadRecordStore({ path: file.path });
      await store.insertPending(sampleNewRecord());
      const confirmed = store.confirm(sampleConfirm());
      await store.close();
      assert.equal((await confirmed).kind, 'confirmed');
      const reopened = new SqliteUploadRecordStore({ path: file.path });
      assert.equal((await reopened.get('up-1'))?.status, 'confirmed');
      await reopened.close();
    } finally {
      file.remove();
    }
  });

  it('refuses invalid input at once without queueing it', async () => {
    const store = new SqliteUploadRecordStore({ path: ':memory:' });
    try {
      await assert.rejects(store.confirm(sampleConfirm({ size: -1 })), TypeError);
      await assert.rejects(store.expirePending(1.5), TypeError);
    } finally {
      await store.close();
    }
  });
});
