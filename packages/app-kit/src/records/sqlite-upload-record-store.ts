// Upload records in one SQLite file (the single-instance default, docs/adr/0006). better-sqlite3 is
// synchronous, so every lock wait blocks the event loop: busy_timeout is capped at 1000 ms so a locked
// database surfaces as an 'unavailable' rejection fast enough for OSS's 5 s callback budget (threats §C6.57).
import Database from 'better-sqlite3';
import { decodeUploadRecordRow, type UploadRecordRow } from './upload-record-row.js';
import {
  checkConfirmPrecondition,
  confirmableStatuses,
  markableStatuses,
  normalizeEtag,
  requireConfirmInput,
  requireFoundObject,
  requireMs,
  requireNewUploadRecord,
  resolveListLimit,
} from './upload-record-rules.js';
import { UploadRecordStoreError } from './upload-record-store-error.js';
import type {
  ConfirmInput,
  ConfirmOutcome,
  FoundObject,
  ListUploadRecordsOptions,
  NewUploadRecord,
  UploadRecord,
  UploadRecordStore,
} from './upload-record-store.js';

export interface SqliteUploadRecordStoreOptions {
  /** File path, or ':memory:' for a private in-memory database. */
  readonly path: string;
  /** How long a write waits for another connection's lock; default and maximum 1000. */
  readonly busyTimeoutMs?: number;
}

export const sqliteSchemaVersion = 1;
const maxBusyTimeoutMs = 1000;

const schemaV1 = `
CREATE TABLE upload_records (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  key_is_prefix INTEGER NOT NULL CHECK (key_is_prefix IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'stored-unconfirmed', 'expired')),
  object_key TEXT,
  size INTEGER,
  etag TEXT,
  mime_type TEXT,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  confirmed_at_ms INTEGER,
  reply_json TEXT,
  app_data TEXT
) STRICT;
CREATE INDEX upload_records_created ON upload_records (created_at_ms DESC, id DESC);
CREATE INDEX upload_records_user ON upload_records (user_id, created_at_ms DESC, id DESC);
CREATE INDEX upload_records_status ON upload_records (status, created_at_ms DESC, id DESC);
CREATE INDEX upload_records_expiry ON upload_records (status, expires_at_ms);
`;

const inList = (statuses: readonly string[]): string => statuses.map((s) => `'${s}'`).join(', ');

const sql = {
  insert: `INSERT INTO upload_records (id, user_id, bucket, key, key_is_prefix, status, created_at_ms,
    expires_at_ms, app_data) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING *`,
  get: 'SELECT * FROM upload_records WHERE id = ?',
  confirm: `UPDATE upload_records SET status = 'confirmed', object_key = ?, size = ?, etag = ?, mime_type = ?,
    confirmed_at_ms = ?, reply_json = ? WHERE id = ? AND status IN (${inList(confirmableStatuses)}) RETURNING *`,
  mark: `UPDATE upload_records SET status = 'stored-unconfirmed', object_key = ?, size = ?, etag = ?
    WHERE id = ? AND status IN (${inList(markableStatuses)}) RETURNING *`,
  expire: `UPDATE upload_records SET status = 'expired' WHERE status = 'pending' AND expires_at_ms < ?`,
};

export class SqliteUploadRecordStore implements UploadRecordStore {
  readonly #db: Database.Database;
  readonly #confirmTx: (input: ConfirmInput) => ConfirmOutcome;

  constructor(options: SqliteUploadRecordStoreOptions) {
    const busyTimeoutMs = options.busyTimeoutMs ?? maxBusyTimeoutMs;
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > maxBusyTimeoutMs) {
      throw new RangeError(`busyTimeoutMs must be an integer in 0..${maxBusyTimeoutMs}`);
    }
    this.#db = guard(() => new Database(options.path, { timeout: busyTimeoutMs }));
    try {
      guard(() => this.#open());
    } catch (error) {
      this.#db.close();
      throw error;
    }
    const tx = this.#db.transaction((input: ConfirmInput) => this.#confirmNow(input));
    // IMMEDIATE takes the write lock before the read, so the read-check-update runs as one unit.
    this.#confirmTx = (input) => tx.immediate(input);
  }

  #open(): void {
    this.#db.pragma('journal_mode = WAL');
    // FULL: a 200 reply to OSS promises the record survives power loss (WAL + NORMAL would not).
    this.#db.pragma('synchronous = FULL');
    const migrate = this.#db.transaction(() => {
      const version = this.#db.pragma('user_version', { simple: true }) as number;
      if (version > sqliteSchemaVersion) {
        throw new Error(
          `upload record database has schema ${version}; this build knows ${sqliteSchemaVersion}`,
        );
      }
      if (version === sqliteSchemaVersion) return;
      // Future versions append their steps here, each guarded by the version it upgrades from.
      if (version < 1) this.#db.exec(schemaV1);
      this.#db.pragma(`user_version = ${sqliteSchemaVersion}`);
    });
    migrate.immediate();
  }

  #row(id: string): UploadRecord | undefined {
    const row = this.#db.prepare<[string], UploadRecordRow>(sql.get).get(id);
    return row === undefined ? undefined : decodeUploadRecordRow(row);
  }

  #confirmNow(input: ConfirmInput): ConfirmOutcome {
    const verdict = checkConfirmPrecondition(this.#row(input.id), input);
    if (verdict !== 'update') return verdict;
    const { key, size, mimeType, confirmedAtMs, replyJson, id } = input;
    const row = this.#db
      .prepare<unknown[], UploadRecordRow>(sql.confirm)
      .get(key, size, normalizeEtag(input.etag), mimeType, confirmedAtMs, replyJson, id);
    // Unreachable while the IMMEDIATE transaction holds the write lock; kept as a loud guard.
    if (row === undefined) throw new Error(`upload record ${id} changed inside its own transaction`);
    return { kind: 'confirmed', record: decodeUploadRecordRow(row) };
  }

  insertPending(record: NewUploadRecord): Promise<UploadRecord> {
    return settle(() => {
      requireNewUploadRecord(record);
      const row = this.#db
        .prepare<unknown[], UploadRecordRow>(sql.insert)
        .get(
          record.id,
          record.userId,
          record.bucket,
          record.key,
          record.keyIsPrefix ? 1 : 0,
          record.createdAtMs,
          record.expiresAtMs,
          record.appData ?? null,
        );
      if (row === undefined) throw duplicateId(record.id);
      return decodeUploadRecordRow(row);
    });
  }

  get(id: string): Promise<UploadRecord | undefined> {
    return settle(() => this.#row(id));
  }

  confirm(input: ConfirmInput): Promise<ConfirmOutcome> {
    return settle(() => {
      requireConfirmInput(input);
      return this.#confirmTx(input);
    });
  }

  markStoredUnconfirmed(id: string, found: FoundObject): Promise<UploadRecord | undefined> {
    return settle(() => {
      requireFoundObject(found);
      const row = this.#db
        .prepare<unknown[], UploadRecordRow>(sql.mark)
        .get(found.key, found.size, normalizeEtag(found.etag), id);
      return row === undefined ? this.#row(id) : decodeUploadRecordRow(row);
    });
  }

  expirePending(nowMs: number): Promise<number> {
    return settle(() => {
      requireMs('nowMs', nowMs);
      return this.#db.prepare(sql.expire).run(nowMs).changes;
    });
  }

  list(options: ListUploadRecordsOptions = {}): Promise<UploadRecord[]> {
    return settle(() => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (options.userId !== undefined) {
        where.push('user_id = ?');
        params.push(options.userId);
      }
      if (options.status !== undefined) {
        where.push('status = ?');
        params.push(options.status);
      }
      if (options.before !== undefined) {
        const { createdAtMs, id } = options.before;
        where.push('(created_at_ms < ? OR (created_at_ms = ? AND id < ?))');
        params.push(createdAtMs, createdAtMs, id);
      }
      const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
      const text = `SELECT * FROM upload_records ${clause} ORDER BY created_at_ms DESC, id DESC LIMIT ?`;
      const rows = this.#db
        .prepare<unknown[], UploadRecordRow>(text)
        .all(...params, resolveListLimit(options.limit));
      return rows.map(decodeUploadRecordRow);
    });
  }

  close(): Promise<void> {
    return settle(() => void this.#db.close());
  }
}

function duplicateId(id: string): UploadRecordStoreError {
  return new UploadRecordStoreError('duplicate-id', `upload record ${id} already exists`);
}

/** Driver failures (SQLITE_BUSY after busy_timeout, I/O errors) become 'unavailable'; caller bugs pass through. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Database.SqliteError) {
      throw new UploadRecordStoreError('unavailable', `upload record store failed: ${error.code}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Runs a synchronous step and reports its result or error as a promise (never a synchronous throw). */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(guard(fn));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
