// Multipart uploads in FsObjectStore's index: one row per upload (its Initiate metadata as JSON) and one
// per committed part (naming the part file by random id). Complete publishes the object row and removes
// the upload and its part rows in ONE transaction: a crash leaves either the upload (resumable) or the
// object, never both or neither (threats §C7 item 60).
import type Database from 'better-sqlite3';
import { OssError } from '@upcall/protocol';
import type { NewObjectMeta } from './object-store.js';
import type { MultipartUploadInfo, PartInfo } from './multipart-store.js';
import type { SqliteGroupCommit } from '@upcall/sqlite-group-commit';
import { putObjectSql, toRecordValues, type IndexedObject } from './sqlite-object-rows.js';
import { noSuchBucket, noSuchUpload } from './store-errors.js';

export interface IndexedPart {
  readonly info: PartInfo;
  readonly partFileId: string;
}

export interface UploadRef {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
}

interface UploadRecord {
  upload_id: string;
  bucket: string;
  key: string;
  initiated_ms: number;
  meta_json: string;
}

interface PartRecord {
  part_number: number;
  part_file_id: string;
  size: number;
  etag: string;
  crc64: string;
  last_modified_ms: number;
}

const uploadColumns = 'upload_id, bucket, key, initiated_ms, meta_json';
const partColumns = 'part_number, part_file_id, size, etag, crc64, last_modified_ms';

function prepareStatements(db: Database.Database) {
  return {
    bucketExists: db.prepare('SELECT 1 FROM buckets WHERE name = ?'),
    insertUpload: db.prepare(`INSERT INTO multipart_uploads (${uploadColumns}) VALUES (?, ?, ?, ?, ?)`),
    getUpload: db.prepare(
      `SELECT ${uploadColumns} FROM multipart_uploads WHERE upload_id = ? AND bucket = ? AND key = ?`,
    ),
    // Markers as in S3/OSS ListMultipartUploads (see MultipartStore.listUploads); BINARY = byte order.
    listUploads: db.prepare(
      `SELECT ${uploadColumns} FROM multipart_uploads WHERE bucket = @bucket AND key >= @prefix
        AND (@keyMarker IS NULL OR key > @keyMarker
          OR (key = @keyMarker AND @uploadIdMarker IS NOT NULL AND upload_id > @uploadIdMarker))
        ORDER BY key, upload_id LIMIT @limit`,
    ),
    uploadsBefore: db.prepare('SELECT bucket, key, upload_id FROM multipart_uploads WHERE initiated_ms < ?'),
    deleteUpload: db.prepare('DELETE FROM multipart_uploads WHERE upload_id = ?'),
    listParts: db.prepare(
      `SELECT ${partColumns} FROM multipart_parts WHERE upload_id = ? AND part_number > ?
        ORDER BY part_number LIMIT ?`,
    ),
    getPartFileId: db.prepare(
      'SELECT part_file_id FROM multipart_parts WHERE upload_id = ? AND part_number = ?',
    ),
    putPart: db.prepare(
      `INSERT OR REPLACE INTO multipart_parts (upload_id, ${partColumns}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteParts: db.prepare('DELETE FROM multipart_parts WHERE upload_id = ? RETURNING part_file_id'),
    allParts: db.prepare('SELECT part_file_id, upload_id, part_number FROM multipart_parts'),
    deletePartByFileId: db.prepare('DELETE FROM multipart_parts WHERE part_file_id = ?'),
    getBlobId: db.prepare('SELECT blob_id FROM objects WHERE bucket = ? AND key = ?'),
    putObject: db.prepare(putObjectSql),
  };
}

export class SqliteMultipartIndex {
  readonly #db: Database.Database;
  readonly #sql: ReturnType<typeof prepareStatements>;
  readonly #commits: SqliteGroupCommit;

  /** `commits`: the object index's group commit (part and Complete commits share its batches). */
  constructor(db: Database.Database, commits: SqliteGroupCommit) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#commits = commits;
  }

  /** NoSuchBucket when the bucket is missing (checked in the same transaction as the insert). */
  insertUpload(info: MultipartUploadInfo): void {
    const { contentType, headers, userMeta, acl, storageClass } = info.meta;
    const metaJson = JSON.stringify({ contentType, headers, userMeta, acl, storageClass });
    this.#db
      .transaction(() => {
        if (this.#sql.bucketExists.get(info.bucket) === undefined) throw noSuchBucket(info.bucket);
        this.#sql.insertUpload.run(info.uploadId, info.bucket, info.key, info.initiatedMs, metaJson);
      })
      .immediate();
  }

  getUpload({ bucket, key, uploadId }: UploadRef): MultipartUploadInfo | undefined {
    const row = this.#sql.getUpload.get(uploadId, bucket, key) as UploadRecord | undefined;
    return row === undefined ? undefined : toUploadInfo(row);
  }

  /** Up to `limit` uploads with key ≥ prefix and after the markers; the caller cuts at the prefix. */
  listUploads(
    bucket: string,
    options: { prefix: string; keyMarker?: string; uploadIdMarker?: string },
    limit: number,
  ): MultipartUploadInfo[] {
    const rows = this.#sql.listUploads.all({
      bucket,
      prefix: options.prefix,
      keyMarker: options.keyMarker ?? null,
      uploadIdMarker: options.uploadIdMarker ?? null,
      limit,
    });
    return (rows as UploadRecord[]).map(toUploadInfo);
  }

  uploadsInitiatedBefore(initiatedBeforeMs: number): UploadRef[] {
    const rows = this.#sql.uploadsBefore.all(initiatedBeforeMs) as UploadRecord[];
    return rows.map((row) => ({ bucket: row.bucket, key: row.key, uploadId: row.upload_id }));
  }

  /** Parts after `partNumberMarker` in number order (pass a huge limit for all of them). */
  listParts(uploadId: string, partNumberMarker: number, limit: number): IndexedPart[] {
    const rows = this.#sql.listParts.all(uploadId, partNumberMarker, limit) as PartRecord[];
    return rows.map((row) => ({
      partFileId: row.part_file_id,
      info: {
        partNumber: row.part_number,
        size: row.size,
        etag: row.etag,
        crc64: row.crc64,
        lastModifiedMs: row.last_modified_ms,
      },
    }));
  }

  /**
   * Records a committed part (group commit), replacing one with the same number; NoSuchUpload when the
   * upload was completed or aborted meanwhile. Resolves, once durable, to the replaced part's file id,
   * for the caller to unlink.
   */
  commitPart(ref: UploadRef, part: IndexedPart): Promise<string | undefined> {
    return this.#commits.run((): string | undefined => {
      if (this.#sql.getUpload.get(ref.uploadId, ref.bucket, ref.key) === undefined) {
        throw noSuchUpload(ref.uploadId);
      }
      const { partNumber, size, etag, crc64, lastModifiedMs } = part.info;
      const previous = this.#sql.getPartFileId.get(ref.uploadId, partNumber) as
        { part_file_id: string } | undefined;
      this.#sql.putPart.run(ref.uploadId, partNumber, part.partFileId, size, etag, crc64, lastModifiedMs);
      return previous?.part_file_id;
    });
  }

  /**
   * The commit point of CompleteMultipartUpload: publishes `entry` (FileAlreadyExists with
   * forbidOverwrite, the upload kept) and removes the upload with all its part rows, in one group-commit
   * member. Resolves, once durable, to the blob id the object replaced and every part file id, all for
   * the caller to unlink after the transaction.
   */
  completeUpload(
    ref: UploadRef,
    entry: IndexedObject,
    forbidOverwrite: boolean,
  ): Promise<{ replacedBlobId: string | undefined; partFileIds: string[] }> {
    return this.#commits.run(() => {
      if (this.#sql.getUpload.get(ref.uploadId, ref.bucket, ref.key) === undefined) {
        throw noSuchUpload(ref.uploadId);
      }
      const previous = this.#sql.getBlobId.get(ref.bucket, ref.key) as { blob_id: string } | undefined;
      if (previous !== undefined && forbidOverwrite) throw new OssError('FileAlreadyExists');
      this.#sql.putObject.run(...toRecordValues(entry));
      return { replacedBlobId: previous?.blob_id, partFileIds: this.#deleteUploadRows(ref.uploadId) };
    });
  }

  /** Removes the upload and its part rows; returns the part file ids, or undefined when there was none. */
  removeUpload(ref: UploadRef): string[] | undefined {
    const run = this.#db.transaction((): string[] | undefined => {
      if (this.#sql.getUpload.get(ref.uploadId, ref.bucket, ref.key) === undefined) return undefined;
      return this.#deleteUploadRows(ref.uploadId);
    });
    return run.immediate();
  }

  /** Every part file the index names, by file id (start-up sweep). */
  allPartFiles(): Map<string, { readonly uploadId: string; readonly partNumber: number }> {
    const rows = this.#sql.allParts.all() as Array<PartRecord & { upload_id: string }>;
    return new Map(
      rows.map((row) => [row.part_file_id, { uploadId: row.upload_id, partNumber: row.part_number }]),
    );
  }

  /** Drops part rows whose file is gone (crash recovery only); the client uploads those parts again. */
  deletePartsByFileIds(partFileIds: readonly string[]): void {
    this.#db
      .transaction(() => {
        for (const id of partFileIds) this.#sql.deletePartByFileId.run(id);
      })
      .immediate();
  }

  #deleteUploadRows(uploadId: string): string[] {
    const parts = this.#sql.deleteParts.all(uploadId) as Array<{ part_file_id: string }>;
    this.#sql.deleteUpload.run(uploadId);
    return parts.map((part) => part.part_file_id);
  }
}

function toUploadInfo(row: UploadRecord): MultipartUploadInfo {
  const stored = JSON.parse(row.meta_json) as Omit<NewObjectMeta, 'bucket' | 'key'>;
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiatedMs: row.initiated_ms,
    meta: { bucket: row.bucket, key: row.key, ...stored },
  };
}
