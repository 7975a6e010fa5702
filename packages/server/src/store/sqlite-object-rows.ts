// Object rows of FsObjectStore's index ↔ ObjectMeta, shared by the object and multipart sides (Complete
// inserts an object row in the same transaction that removes the upload).
import type { ObjectMeta } from './object-store.js';

export interface IndexedObject {
  readonly meta: ObjectMeta;
  readonly blobId: string;
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  blob_id: string;
  size: number;
  etag: string;
  content_md5: string;
  crc64: string;
  content_type: string;
  headers_json: string;
  user_meta_json: string;
  acl: string;
  storage_class: string;
  last_modified_ms: number;
}

export const objectColumns = `bucket, key, blob_id, size, etag, content_md5, crc64, content_type, headers_json,
  user_meta_json, acl, storage_class, last_modified_ms`;

export const putObjectSql = `INSERT OR REPLACE INTO objects (${objectColumns}) VALUES (${objectColumns.replace(/\w+/g, '?')})`;

export function toIndexedObject(row: ObjectRecord): IndexedObject {
  const meta: ObjectMeta = {
    bucket: row.bucket,
    key: row.key,
    size: row.size,
    etag: row.etag,
    contentMd5: row.content_md5,
    crc64: row.crc64,
    contentType: row.content_type,
    lastModifiedMs: row.last_modified_ms,
    headers: JSON.parse(row.headers_json) as Record<string, string>,
    userMeta: JSON.parse(row.user_meta_json) as Record<string, string>,
    acl: row.acl,
    storageClass: row.storage_class,
  };
  return { meta, blobId: row.blob_id };
}

export function toRecordValues({ meta, blobId }: IndexedObject): Array<string | number> {
  return [
    meta.bucket,
    meta.key,
    blobId,
    meta.size,
    meta.etag,
    meta.contentMd5,
    meta.crc64,
    meta.contentType,
    JSON.stringify(meta.headers),
    JSON.stringify(meta.userMeta),
    meta.acl,
    meta.storageClass,
    meta.lastModifiedMs,
  ];
}
