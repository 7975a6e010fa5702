// The schema of FsObjectStore's index and its migrations. `PRAGMA user_version` counts the migrations
// applied; data directories created before multipart existed have version 0 and the version-1 tables
// (created with IF NOT EXISTS, so the first migration is a no-op for them). Each migration runs in one
// IMMEDIATE transaction with its version bump, so a crash mid-migration leaves the previous version.
import type Database from 'better-sqlite3';

const migrations: readonly string[] = [
  // 1: buckets and objects (the original schema).
  `CREATE TABLE IF NOT EXISTS buckets (
    name TEXT PRIMARY KEY,
    acl TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS objects (
    bucket TEXT NOT NULL REFERENCES buckets(name),
    key TEXT NOT NULL,
    blob_id TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    content_md5 TEXT NOT NULL,
    crc64 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    user_meta_json TEXT NOT NULL,
    acl TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS store_info (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`,
  // 2: bucket CORS (PutBucketCors, oss-protocol §12) and multipart uploads. Part files are named by
  // random ids (never by key or upload id) under parts/; an upload id only ever appears here.
  `ALTER TABLE buckets ADD COLUMN cors_json TEXT;
  CREATE TABLE multipart_uploads (
    upload_id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL REFERENCES buckets(name),
    key TEXT NOT NULL,
    initiated_ms INTEGER NOT NULL,
    meta_json TEXT NOT NULL
  ) STRICT;
  CREATE INDEX multipart_uploads_by_key ON multipart_uploads (bucket, key, upload_id);
  CREATE INDEX multipart_uploads_by_time ON multipart_uploads (initiated_ms);
  CREATE TABLE multipart_parts (
    upload_id TEXT NOT NULL REFERENCES multipart_uploads(upload_id),
    part_number INTEGER NOT NULL,
    part_file_id TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    crc64 TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
  ) STRICT;`,
];

export const schemaVersion = migrations.length;

/** Brings the index to `schemaVersion`; refuses a data directory written by a newer Upcall. */
export function migrateSchema(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > schemaVersion) {
    throw new Error(
      `FsObjectStore: the index has schema version ${current}, newer than this server's ${schemaVersion}`,
    );
  }
  for (let version = current; version < schemaVersion; version += 1) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
