// The key → blob index of FsObjectStore: buckets and object metadata in SQLite (multipart uploads in
// the same database: sqlite-multipart-index.ts). Keys live only here, never in a path (threats §B6). Reads
// and rare writes are synchronous (better-sqlite3), each write its own transaction. The hot writes —
// commitObject, deleteObject and the multipart commits — go through the group commit
// (@upcall/sqlite-group-commit): each is all-or-nothing and concurrent writers to one key serialise in arrival
// order, but one WAL fsync serves every commit of a batch.
import Database from 'better-sqlite3';
import { OssError } from '@upcall/protocol';
import type { BucketCors, BucketInfo, ObjectMeta } from './object-store.js';
import { SqliteGroupCommit, type GroupCommitStats } from '@upcall/sqlite-group-commit';
import { migrateSchema } from './sqlite-schema.js';
import { noSuchBucket } from './store-errors.js';
import { SqliteMultipartIndex } from './sqlite-multipart-index.js';
import {
  objectColumns,
  putObjectSql,
  toIndexedObject,
  toRecordValues,
  type IndexedObject,
  type ObjectRecord,
} from './sqlite-object-rows.js';

export type { IndexedObject } from './sqlite-object-rows.js';

export interface BlobRef {
  readonly blobId: string;
  readonly bucket: string;
  readonly key: string;
}

interface BucketRecord {
  name: string;
  acl: BucketInfo['acl'];
  created_ms: number;
}

function prepareStatements(db: Database.Database) {
  return {
    insertBucket: db.prepare('INSERT OR IGNORE INTO buckets (name, acl, created_ms) VALUES (?, ?, ?)'),
    getBucket: db.prepare('SELECT name, acl, created_ms FROM buckets WHERE name = ?'),
    listBuckets: db.prepare('SELECT name, acl, created_ms FROM buckets ORDER BY name'),
    bucketHoldsAnything: db.prepare(
      `SELECT EXISTS (SELECT 1 FROM objects WHERE bucket = @name)
        OR EXISTS (SELECT 1 FROM multipart_uploads WHERE bucket = @name) AS held`,
    ),
    deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
    setBucketAcl: db.prepare('UPDATE buckets SET acl = ? WHERE name = ?'),
    getBucketCors: db.prepare('SELECT cors_json FROM buckets WHERE name = ?'),
    setBucketCors: db.prepare('UPDATE buckets SET cors_json = ? WHERE name = ?'),
    getObject: db.prepare(`SELECT ${objectColumns} FROM objects WHERE bucket = ? AND key = ?`),
    getBlobId: db.prepare('SELECT blob_id FROM objects WHERE bucket = ? AND key = ?'),
    putObject: db.prepare(putObjectSql),
    deleteObject: db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ? RETURNING blob_id'),
    listFrom: db.prepare(
      `SELECT ${objectColumns} FROM objects WHERE bucket = ? AND key >= ? AND key > ? ORDER BY key LIMIT ?`,
    ),
    blobRefsInRange: db.prepare(
      'SELECT blob_id, bucket, key FROM objects WHERE blob_id >= ? AND blob_id < ?',
    ),
    deleteByBlobId: db.prepare('DELETE FROM objects WHERE blob_id = ?'),
  };
}

export class SqliteObjectIndex {
  readonly multipart: SqliteMultipartIndex;
  readonly #db: Database.Database;
  readonly #sql: ReturnType<typeof prepareStatements>;
  readonly #commits: SqliteGroupCommit;
  readonly #buckets = new Map<string, BucketInfo>();

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#commits = new SqliteGroupCommit(db);
    this.multipart = new SqliteMultipartIndex(db, this.#commits);
  }

  /**
   * Opens (creating or migrating, see sqlite-schema.ts) and takes the database's lock for the life of
   * the connection.
   * - locking_mode=EXCLUSIVE: one process owns a data directory. The start-up sweep deletes temp files
   *   and unindexed blobs, which would destroy a second live process's in-flight uploads; a second
   *   opener fails with SQLITE_BUSY instead. The OS drops the lock if the owner dies (kill -9).
   * - synchronous=FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss. Here a
   *   lost index row means the sweep deletes the (durable) new blob while the replaced blob is already
   *   unlinked — an acknowledged object gone (threats §C7 item 62). FULL costs one WAL fsync per
   *   transaction, on the event loop; the group commit (@upcall/sqlite-group-commit) shares it between all
   *   the commits of one batch.
   * - busy_timeout short (threats §B13): only a foreign process can make us wait.
   */
  static open(path: string, options: { busyTimeoutMs: number; nowMs: number }): SqliteObjectIndex {
    const db = new Database(path);
    try {
      db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrateSchema(db);
      // A write takes (and, in EXCLUSIVE mode, keeps) the lock now, before the sweep runs.
      db.prepare(`INSERT OR REPLACE INTO store_info (name, value) VALUES ('opened_ms', ?)`).run(
        String(options.nowMs),
      );
      return new SqliteObjectIndex(db);
    } catch (error) {
      db.close();
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
        throw new Error(`FsObjectStore: ${path} is in use by another process`, { cause: error });
      }
      throw error;
    }
  }

  /** Group-commit counters (tests, diagnostics). */
  get commitStats(): GroupCommitStats {
    return this.#commits.stats;
  }

  /** Writes any commits still waiting for their batch, then closes the database. */
  close(): void {
    this.#commits.flush();
    this.#db.close();
  }

  /** Inserts unless present; returns the stored row either way (createBucket is idempotent). */
  insertBucket(info: BucketInfo): BucketInfo {
    this.#sql.insertBucket.run(info.name, info.acl, info.createdMs);
    const stored = this.getBucket(info.name);
    if (stored === undefined) throw new Error(`bucket ${info.name} vanished after insert`);
    return stored;
  }

  /**
   * Served from memory after the first read: every upload asks (authorization, staging, commit), and
   * this process is the only writer of the buckets table (locking_mode=EXCLUSIVE above), so the copy is
   * dropped exactly where the row changes. Unknown names are not remembered (a hostile client could
   * otherwise grow the map without bound).
   */
  getBucket(name: string): BucketInfo | undefined {
    const known = this.#buckets.get(name);
    if (known !== undefined) return known;
    const row = this.#sql.getBucket.get(name) as BucketRecord | undefined;
    if (row === undefined) return undefined;
    const info: BucketInfo = { name: row.name, acl: row.acl, createdMs: row.created_ms };
    this.#buckets.set(name, info);
    return info;
  }

  listBuckets(): BucketInfo[] {
    return (this.#sql.listBuckets.all() as BucketRecord[]).map((row) => ({
      name: row.name,
      acl: row.acl,
      createdMs: row.created_ms,
    }));
  }

  /** One transaction: BucketNotEmpty while objects or uploads remain; false when there was no bucket. */
  deleteBucket(name: string): boolean {
    this.#buckets.delete(name);
    const run = this.#db.transaction((): boolean => {
      const { held } = this.#sql.bucketHoldsAnything.get({ name }) as { held: number };
      if (held !== 0) throw new OssError('BucketNotEmpty', { extra: [['BucketName', name]] });
      return this.#sql.deleteBucket.run(name).changes > 0;
    });
    return run.immediate();
  }

  setBucketAcl(name: string, acl: BucketInfo['acl']): void {
    this.#buckets.delete(name);
    if (this.#sql.setBucketAcl.run(acl, name).changes === 0) throw noSuchBucket(name);
  }

  getBucketCors(name: string): BucketCors | undefined {
    const row = this.#sql.getBucketCors.get(name) as { cors_json: string | null } | undefined;
    if (row === undefined) throw noSuchBucket(name);
    return row.cors_json === null ? undefined : (JSON.parse(row.cors_json) as BucketCors);
  }

  setBucketCors(name: string, cors: BucketCors | undefined): void {
    const json = cors === undefined ? null : JSON.stringify(cors);
    if (this.#sql.setBucketCors.run(json, name).changes === 0) throw noSuchBucket(name);
  }

  getObject(bucket: string, key: string): IndexedObject | undefined {
    const row = this.#sql.getObject.get(bucket, key) as ObjectRecord | undefined;
    return row === undefined ? undefined : toIndexedObject(row);
  }

  /**
   * Publishes `entry` in the next group-commit batch (one IMMEDIATE transaction, better-sqlite3 #1067: a
   * deferred one can hit SQLITE_BUSY_SNAPSHOT past the busy timeout). With `forbidOverwrite` the
   * existence check runs inside it, after the batch's earlier members, so two racing no-overwrite writers
   * cannot both win (oss-protocol §3.4, `x-oss-forbid-overwrite`). NoSuchBucket when the bucket was
   * deleted after the write began. Resolves, once the batch is durable, to the blob id the entry
   * replaced, for the caller to unlink.
   */
  commitObject(entry: IndexedObject, forbidOverwrite: boolean): Promise<string | undefined> {
    return this.#commits.run((): string | undefined => {
      if (this.getBucket(entry.meta.bucket) === undefined) throw noSuchBucket(entry.meta.bucket);
      const previous = this.#sql.getBlobId.get(entry.meta.bucket, entry.meta.key) as
        { blob_id: string } | undefined;
      if (previous !== undefined && forbidOverwrite) throw new OssError('FileAlreadyExists');
      this.#sql.putObject.run(...toRecordValues(entry));
      return previous?.blob_id;
    });
  }

  /** Removes the row (group commit); resolves, once durable, to its blob id, or undefined when none. */
  deleteObject(bucket: string, key: string): Promise<string | undefined> {
    return this.#commits.run(() => {
      const row = this.#sql.deleteObject.get(bucket, key) as { blob_id: string } | undefined;
      return row?.blob_id;
    });
  }

  /**
   * Up to `limit` objects with key ≥ `prefix` and > `startAfter`, in BINARY collation = UTF-8 byte
   * order. Keys sharing a prefix are contiguous in that order, so the caller cuts at the first key
   * that does not start with it.
   */
  listFrom(bucket: string, prefix: string, startAfter: string, limit: number): ObjectMeta[] {
    const rows = this.#sql.listFrom.all(bucket, prefix, startAfter, limit) as ObjectRecord[];
    return rows.map((row) => toIndexedObject(row).meta);
  }

  /** Index entries whose blob id starts with `shard` (a range scan on the blob_id index; ids are hex). */
  blobRefsInShard(shard: string): BlobRef[] {
    const rows = this.#sql.blobRefsInRange.all(shard, `${shard}~`) as Array<{
      blob_id: string;
      bucket: string;
      key: string;
    }>;
    return rows.map((r) => ({ blobId: r.blob_id, bucket: r.bucket, key: r.key }));
  }

  /** Drops entries whose blob is gone (crash recovery only). */
  deleteByBlobIds(blobIds: readonly string[]): void {
    this.#db
      .transaction(() => {
        for (const id of blobIds) this.#sql.deleteByBlobId.run(id);
      })
      .immediate();
  }
}
