// Schema and statements of the SQLite upload record store (docs/adr/0006), prepared once per connection.
import type Database from 'better-sqlite3';
import type { UploadRecordRow } from './upload-record-row.js';
import { confirmableStatuses, markableStatuses } from './upload-record-rules.js';

export const sqliteSchemaVersion = 1;

export const sqliteSchemaV1 = `
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

export type SqliteRecordStatements = {
  readonly [K in keyof typeof sql]: Database.Statement<unknown[], UploadRecordRow>;
};

export function prepareRecordStatements(db: Database.Database): SqliteRecordStatements {
  return {
    insert: db.prepare<unknown[], UploadRecordRow>(sql.insert),
    get: db.prepare<unknown[], UploadRecordRow>(sql.get),
    confirm: db.prepare<unknown[], UploadRecordRow>(sql.confirm),
    mark: db.prepare<unknown[], UploadRecordRow>(sql.mark),
    expire: db.prepare<unknown[], UploadRecordRow>(sql.expire),
  };
}
