// Upload records in PostgreSQL, for several app-server instances sharing one database (docs/adr/0006).
// Every timeout is capped at 1500 ms so an unavailable database rejects well inside OSS's 5 s callback
// budget and OSS reports 203 instead of hanging (threats §C6.58); the pool reconnects on its own later.
import pg from 'pg';
import {
  buildPostgresTableName,
  createPostgresSchema,
  type PostgresTableName,
} from './postgres-upload-record-schema.js';
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
import { UploadRecordStoreError, isUploadRecordStoreError } from './upload-record-store-error.js';
import type {
  ConfirmInput,
  ConfirmOutcome,
  FoundObject,
  ListUploadRecordsOptions,
  NewUploadRecord,
  UploadRecord,
  UploadRecordStore,
} from './upload-record-store.js';

export interface PostgresUploadRecordStoreOptions {
  readonly connectionString: string;
  /** Default 'public'. Lower-case identifier, created if missing. */
  readonly schema?: string;
  /** Default 'upload_records'. */
  readonly table?: string;
  /** Wait for a connection (new or from the pool); default 1000, at most 1500. */
  readonly connectionTimeoutMs?: number;
  /**
   * Client-side bound per statement (query_timeout); default and max 1500, min 600. The server cancels
   * the statement itself 500 ms earlier (statement_timeout), so a timed-out write is rolled back rather
   * than left waiting on a lock and committed after the caller already reported failure.
   */
  readonly queryTimeoutMs?: number;
  /** Default 10. */
  readonly maxConnections?: number;
  /** Errors of idle pooled connections (database restarted); without a listener pg would crash the process. */
  readonly onPoolError?: (error: Error) => void;
}

const maxTimeoutMs = 1500;

const serverCancelLeadMs = 500;

function requireTimeout(name: string, value: number, minMs: number): number {
  if (!Number.isSafeInteger(value) || value < minMs || value > maxTimeoutMs) {
    throw new RangeError(`${name} must be an integer in ${minMs}..${maxTimeoutMs}`);
  }
  return value;
}

export class PostgresUploadRecordStore implements UploadRecordStore {
  readonly #pool: pg.Pool;
  readonly #name: PostgresTableName;
  readonly #sql: ReturnType<typeof buildSql>;
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(options: PostgresUploadRecordStoreOptions) {
    this.#name = buildPostgresTableName(options.schema ?? 'public', options.table ?? 'upload_records');
    this.#sql = buildSql(this.#name.qualified);
    const queryTimeoutMs = requireTimeout('queryTimeoutMs', options.queryTimeoutMs ?? maxTimeoutMs, 600);
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: requireTimeout('connectionTimeoutMs', options.connectionTimeoutMs ?? 1000, 1),
      statement_timeout: queryTimeoutMs - serverCancelLeadMs,
      query_timeout: queryTimeoutMs,
      idle_in_transaction_session_timeout: maxTimeoutMs * 2,
      max: options.maxConnections ?? 10,
      idleTimeoutMillis: 10_000,
      application_name: 'upcall-app-kit',
    });
    this.#pool.on('error', options.onPoolError ?? (() => undefined));
  }

  /** Runs one statement after the schema exists; driver failures become 'unavailable'. */
  async #query(text: string, values: unknown[]): Promise<UploadRecordRow[]> {
    try {
      // A failed creation is forgotten so the next call retries once the database is back.
      this.#ready ??= createPostgresSchema(this.#pool, this.#name).catch((error: unknown) => {
        this.#ready = undefined;
        throw error;
      });
      await this.#ready;
      return (await this.#pool.query<UploadRecordRow>(text, values)).rows;
    } catch (error) {
      if (isUploadRecordStoreError(error)) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new UploadRecordStoreError('unavailable', `upload record store failed: ${detail}`, {
        cause: error,
      });
    }
  }

  async insertPending(record: NewUploadRecord): Promise<UploadRecord> {
    requireNewUploadRecord(record);
    const { id, userId, bucket, key, keyIsPrefix, createdAtMs, expiresAtMs } = record;
    const values = [id, userId, bucket, key, keyIsPrefix, createdAtMs, expiresAtMs, record.appData ?? null];
    const [row] = await this.#query(this.#sql.insert, values);
    if (row === undefined)
      throw new UploadRecordStoreError('duplicate-id', `upload record ${id} already exists`);
    return decodeUploadRecordRow(row);
  }

  async get(id: string): Promise<UploadRecord | undefined> {
    const [row] = await this.#query(this.#sql.get, [id]);
    return row === undefined ? undefined : decodeUploadRecordRow(row);
  }

  async confirm(input: ConfirmInput): Promise<ConfirmOutcome> {
    requireConfirmInput(input);
    const { id, key, size, mimeType, confirmedAtMs, replyJson } = input;
    const values = [key, size, normalizeEtag(input.etag), mimeType, confirmedAtMs, replyJson, id];
    // Read, check, then one conditional UPDATE: only one concurrent caller can move the row out of a
    // confirmable status. The loser re-reads a confirmed (terminal) row and gets replayed or conflict.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const verdict = checkConfirmPrecondition(await this.get(id), input);
      if (verdict !== 'update') return verdict;
      const [row] = await this.#query(this.#sql.confirm, values);
      if (row !== undefined) return { kind: 'confirmed', record: decodeUploadRecordRow(row) };
    }
    throw new UploadRecordStoreError('unavailable', `upload record ${id} kept changing during confirm`);
  }

  async markStoredUnconfirmed(id: string, found: FoundObject): Promise<UploadRecord | undefined> {
    requireFoundObject(found);
    const [row] = await this.#query(this.#sql.mark, [found.key, found.size, normalizeEtag(found.etag), id]);
    return row === undefined ? this.get(id) : decodeUploadRecordRow(row);
  }

  async expirePending(nowMs: number): Promise<number> {
    requireMs('nowMs', nowMs);
    return (await this.#query(this.#sql.expire, [nowMs])).length;
  }

  async list(options: ListUploadRecordsOptions = {}): Promise<UploadRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown): string => `$${values.push(value)}`;
    if (options.userId !== undefined) where.push(`user_id = ${param(options.userId)}`);
    if (options.status !== undefined) where.push(`status = ${param(options.status)}`);
    if (options.before !== undefined) {
      const at = param(options.before.createdAtMs);
      where.push(`(created_at_ms < ${at} OR (created_at_ms = ${at} AND id < ${param(options.before.id)}))`);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const limit = param(resolveListLimit(options.limit));
    const text = `SELECT * FROM ${this.#name.qualified} ${clause} ORDER BY created_at_ms DESC, id DESC LIMIT ${limit}`;
    return (await this.#query(text, values)).map(decodeUploadRecordRow);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ready?.catch(() => undefined);
    await this.#pool.end();
  }
}

function buildSql(table: string) {
  const inList = (statuses: readonly string[]): string => statuses.map((s) => `'${s}'`).join(', ');
  return {
    insert: `INSERT INTO ${table} (id, user_id, bucket, key, key_is_prefix, status, created_at_ms, expires_at_ms,
      app_data) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING *`,
    get: `SELECT * FROM ${table} WHERE id = $1`,
    confirm: `UPDATE ${table} SET status = 'confirmed', object_key = $1, size = $2, etag = $3, mime_type = $4,
      confirmed_at_ms = $5, reply_json = $6 WHERE id = $7 AND status IN (${inList(confirmableStatuses)}) RETURNING *`,
    mark: `UPDATE ${table} SET status = 'stored-unconfirmed', object_key = $1, size = $2, etag = $3
      WHERE id = $4 AND status IN (${inList(markableStatuses)}) RETURNING *`,
    expire: `UPDATE ${table} SET status = 'expired' WHERE status = 'pending' AND expires_at_ms < $1 RETURNING id`,
  };
}
