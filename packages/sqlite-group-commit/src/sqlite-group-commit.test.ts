import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';

/** A file database as the store opens it (WAL, synchronous=FULL) with one key/value table. */
async function withDb(test: (db: Database.Database, queue: SqliteGroupCommit) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'upcall-commit-queue-'));
  const db = new Database(join(dir, 'queue.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL) STRICT;
      CREATE TABLE parent (id TEXT PRIMARY KEY) STRICT;
      CREATE TABLE child (id TEXT PRIMARY KEY,
        parent TEXT NOT NULL REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED) STRICT;`);
    await test(db, new SqliteGroupCommit(db));
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function put(db: Database.Database, k: string, v: string): () => string {
  return () => {
    db.prepare('INSERT INTO kv (k, v) VALUES (?, ?)').run(k, v);
    return k;
  };
}

function keys(db: Database.Database): string[] {
  return (db.prepare('SELECT k FROM kv ORDER BY k').all() as Array<{ k: string }>).map((row) => row.k);
}

describe('SqliteGroupCommit', () => {
  it('writes every commit of one event-loop turn in one transaction and resolves each with its value', async () => {
    await withDb(async (db, queue) => {
      const results = await Promise.all(['a', 'b', 'c', 'd'].map((k) => queue.run(put(db, k, k))));
      assert.deepEqual(results, ['a', 'b', 'c', 'd']);
      assert.deepEqual(keys(db), ['a', 'b', 'c', 'd']);
      assert.deepEqual(queue.stats, { batches: 1, members: 4, largestBatch: 4 });
      await queue.run(put(db, 'e', 'e'));
      assert.equal(queue.stats.batches, 2);
    });
  });

  it('resolves nothing before the batch is committed', async () => {
    await withDb(async (db, queue) => {
      let resolved = false;
      const done = queue.run(put(db, 'a', '1')).then(() => (resolved = true));
      assert.deepEqual(keys(db), [], 'queued, not yet written');
      await new Promise((resolve) => setImmediate(resolve));
      await done;
      assert.equal(resolved, true);
      assert.equal(db.inTransaction, false);
      assert.deepEqual(keys(db), ['a']);
    });
  });

  it('rolls back and rejects only the member that throws; later members see earlier ones', async () => {
    await withDb(async (db, queue) => {
      const first = queue.run(put(db, 'x', 'first'));
      const duplicate = queue.run(put(db, 'x', 'second')); // PRIMARY KEY violation: this member only
      const refused = queue.run(() => {
        db.prepare('INSERT INTO kv (k, v) VALUES (?, ?)').run('y', 'written, then refused');
        throw new Error('refused by its own check');
      });
      const sees = queue.run(() => (db.prepare('SELECT v FROM kv WHERE k = ?').get('x') as { v: string }).v);
      assert.equal(await first, 'x');
      await assert.rejects(duplicate, { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
      await assert.rejects(refused, /refused by its own check/);
      assert.equal(await sees, 'first');
      assert.deepEqual(keys(db), ['x']);
      assert.equal(queue.stats.batches, 1);
    });
  });

  it('rejects every member when COMMIT fails, and leaves nothing of the batch', async () => {
    await withDb(async (db, queue) => {
      const ok = queue.run(put(db, 'a', 'a'));
      // A deferred foreign key is checked at COMMIT: the COMMIT itself fails.
      const dangling = queue.run(() =>
        db.prepare('INSERT INTO child (id, parent) VALUES (?, ?)').run('c', 'none'),
      );
      const results = await Promise.allSettled([ok, dangling]);
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        assert.equal((result.reason as { code?: string }).code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
      }
      assert.equal(db.inTransaction, false);
      assert.deepEqual(keys(db), []);
      assert.deepEqual(await queue.run(put(db, 'b', 'b')), 'b', 'the next batch works');
    });
  });

  it('rejects every member when SQLite rolls the whole batch back (database full)', async () => {
    await withDb(async (db, queue) => {
      db.pragma('max_page_count = 8'); // SQLITE_FULL once the file would grow past 8 pages
      const before = queue.run(put(db, 'a', 'small'));
      const huge = queue.run(put(db, 'b', 'x'.repeat(100_000)));
      const after = queue.run(put(db, 'c', 'small'));
      const results = await Promise.allSettled([before, huge, after]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['rejected', 'rejected', 'rejected'],
      );
      assert.equal(db.inTransaction, false);
      assert.deepEqual(keys(db), [], 'neither the members before nor after the failure were written');
    });
  });

  it('writes waiting members when flushed explicitly (before the database closes)', async () => {
    await withDb(async (db, queue) => {
      const pending = queue.run(put(db, 'a', 'a'));
      queue.flush();
      assert.deepEqual(keys(db), ['a']);
      assert.equal(await pending, 'a');
      queue.flush(); // nothing waiting: no empty transaction
      assert.equal(queue.stats.batches, 1);
    });
  });
});
