// Upload records in one SQLite file (the single-instance default, docs/adr/0006). better-sqlite3 is
// synchronous, so every lock wait blocks the event loop: busy_timeout is capped at 1000 ms so a locked
// database surfaces as an 'unavailable' rejection fast enough for OSS's 5 s callback budget (threats §C6.57).
import Database from 'better-sqlite3';
import { decodeUploadRecordRow, type UploadRecordRow } from './upload-record-row.js';
import {
  checkConfirmPrecondition,
  normalizeEtag,
  requireConfirmInput,
  requireFoundObject,
  requireMs,
  requireNewUploadRecord,
  resolveListLimit,
} from './upload-record-rules.js';
import { UploadRecordStoreError } from './upload-record-store-error.js';
import { SqliteGroupCommit } from '@upcall/sqlite-group-commit';
import {
  prepareRecordStatements,
  sqliteSchemaV1,
  sqliteSchemaVersion,
  type SqliteRecordStatements,
} from './sqlite-upload-record-schema.js';
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

export { sqliteSchemaVersion };

const maxBusyTimeoutMs = 1000;

type Row = UploadRecordRow | undefined;

export class SqliteUploadRecordStore implements UploadRecordStore {
  readonly #db: Database.Database;
  /** Prepared once: preparing per call was ~10% of a callback endpoint's CPU (docs/benchmarks.md). */
  readonly #stmt: SqliteRecordStatements;
  readonly #listStatements = new Map<string, Database.Statement<unknown[], UploadRecordRow>>();
  /** Every write goes through one durable group commit (@upcall/sqlite-group-commit, docs/adr/0012). */
  readonly #writes: SqliteGroupCommit;

  constructor(options: SqliteUploadRecordStoreOptions) {
    const busyTimeoutMs = options.busyTimeoutMs ?? maxBusyTimeoutMs;
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > maxBusyTimeoutMs) {
      throw new RangeError(`busyTimeoutMs must be an integer in 0..${maxBusyTimeoutMs}`);
    }
    this.#db = guard(() => new Database(options.path, { timeout: busyTimeoutMs }));
    try {
      guard(() => this.#open());
      this.#stmt = guard(() => prepareRecordStatements(this.#db));
      this.#writes = new SqliteGroupCommit(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
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
      if (version < 1) this.#db.exec(sqliteSchemaV1);
      this.#db.pragma(`user_version = ${sqliteSchemaVersion}`);
    });
    migrate.immediate();
  }

  #row(id: string): UploadRecord | undefined {
    const row: Row = this.#stmt.get.get(id);
    return row === undefined ? undefined : decodeUploadRecordRow(row);
  }

  /** Validates synchronously, then runs `work` in the next durable batch; driver errors become 'unavailable'. */
  #write<T>(validate: () => void, work: () => T): Promise<T> {
    try {
      validate();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.#writes.run(work).catch((error: unknown) => {
      throw toStoreError(error);
    });
  }

  #confirmNow(input: ConfirmInput): ConfirmOutcome {
    // Inside the batch's IMMEDIATE transaction: the read-check-update runs as one unit.
    const verdict = checkConfirmPrecondition(this.#row(input.id), input);
    if (verdict !== 'update') return verdict;
    const { key, size, mimeType, confirmedAtMs, replyJson, id } = input;
    const row: Row = this.#stmt.confirm.get(
      key,
      size,
      normalizeEtag(input.etag),
      mimeType,
      confirmedAtMs,
      replyJson,
      id,
    );
    // Unreachable while the IMMEDIATE transaction holds the write lock; kept as a loud guard.
    if (row === undefined) throw new Error(`upload record ${id} changed inside its own transaction`);
    return { kind: 'confirmed', record: decodeUploadRecordRow(row) };
  }

  insertPending(record: NewUploadRecord): Promise<UploadRecord> {
    return this.#write(
      () => requireNewUploadRecord(record),
      () => {
        const row: Row = this.#stmt.insert.get(
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
      },
    );
  }

  get(id: string): Promise<UploadRecord | undefined> {
    return settle(() => this.#row(id));
  }

  confirm(input: ConfirmInput): Promise<ConfirmOutcome> {
    return this.#write(
      () => requireConfirmInput(input),
      () => this.#confirmNow(input),
    );
  }

  markStoredUnconfirmed(id: string, found: FoundObject): Promise<UploadRecord | undefined> {
    return this.#write(
      () => requireFoundObject(found),
      () => {
        const row: Row = this.#stmt.mark.get(found.key, found.size, normalizeEtag(found.etag), id);
        return row === undefined ? this.#row(id) : decodeUploadRecordRow(row);
      },
    );
  }

  expirePending(nowMs: number): Promise<number> {
    return this.#write(
      () => requireMs('nowMs', nowMs),
      () => this.#stmt.expire.run(nowMs).changes,
    );
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
      const limit = resolveListLimit(options.limit);
      return this.#listStatement(text)
        .all(...params, limit)
        .map(decodeUploadRecordRow);
    });
  }

  /** At most eight distinct texts (three optional filters), so the cache stays tiny. */
  #listStatement(text: string): Database.Statement<unknown[], UploadRecordRow> {
    let statement = this.#listStatements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], UploadRecordRow>(text);
      this.#listStatements.set(text, statement);
    }
    return statement;
  }

  close(): Promise<void> {
    return settle(() => {
      // Writes already accepted are committed (or rejected) before the connection goes away.
      if (this.#db.open) this.#writes.flush();
      this.#db.close();
    });
  }
}

function duplicateId(id: string): UploadRecordStoreError {
  return new UploadRecordStoreError('duplicate-id', `upload record ${id} already exists`);
}

/** Driver failures (SQLITE_BUSY after busy_timeout, I/O errors) become 'unavailable'; caller bugs pass through. */
function toStoreError(error: unknown): Error {
  if (error instanceof Database.SqliteError) {
    return new UploadRecordStoreError('unavailable', `upload record store failed: ${error.code}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStoreError(error);
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
