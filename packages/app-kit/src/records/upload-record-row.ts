// The column layout both SQL stores share, and its mapping to UploadRecord. PostgreSQL returns BIGINT as
// strings (pg keeps 64-bit precision), SQLite as numbers; both fit in a safe integer for ms and byte sizes.
import type { UploadRecord, UploadStatus } from './upload-record-store.js';

export interface UploadRecordRow {
  id: string;
  user_id: string;
  bucket: string;
  key: string;
  key_is_prefix: number | boolean;
  status: string;
  object_key: string | null;
  size: number | string | null;
  etag: string | null;
  mime_type: string | null;
  created_at_ms: number | string;
  expires_at_ms: number | string;
  confirmed_at_ms: number | string | null;
  reply_json: string | null;
  app_data: string | null;
}

const statuses = new Set<string>(['pending', 'confirmed', 'stored-unconfirmed', 'expired']);

function toInteger(value: number | string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`stored integer out of range: ${String(value)}`);
  return n;
}

function toIntegerOrNull(value: number | string | null): number | null {
  return value === null ? null : toInteger(value);
}

export function decodeUploadRecordRow(row: UploadRecordRow): UploadRecord {
  if (!statuses.has(row.status)) throw new RangeError(`unknown upload status in store: ${row.status}`);
  return {
    id: row.id,
    userId: row.user_id,
    bucket: row.bucket,
    key: row.key,
    keyIsPrefix: row.key_is_prefix === true || row.key_is_prefix === 1,
    status: row.status as UploadStatus,
    objectKey: row.object_key,
    size: toIntegerOrNull(row.size),
    etag: row.etag,
    mimeType: row.mime_type,
    createdAtMs: toInteger(row.created_at_ms),
    expiresAtMs: toInteger(row.expires_at_ms),
    confirmedAtMs: toIntegerOrNull(row.confirmed_at_ms),
    replyJson: row.reply_json,
    appData: row.app_data,
  };
}
