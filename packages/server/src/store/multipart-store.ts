// Multipart uploads (oss-protocol §8, issue "object API the SDKs use"): parts are staged privately and
// streamed to disk; Complete assembles them into one object without reading it into memory, atomically
// like PendingObject.commit. Every implementation passes multipart-store.contract.ts.
import type { Writable } from 'node:stream';
import type { NewObjectMeta, ObjectMeta } from './object-store.js';

/** OSS part numbers (UploadPart `partNumber`): 1…10000. The operation answers InvalidArgument outside. */
export const minPartNumber = 1;
export const maxPartNumber = 10_000;

export interface MultipartUploadInfo {
  /** 32 upper-case hex characters; by default time-ordered, so (key, uploadId) order ≈ initiation order. */
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiatedMs: number;
  /** Metadata given at Initiate (content type, headers, user meta, acl, storage class). */
  readonly meta: NewObjectMeta;
}

export interface PartInfo {
  readonly partNumber: number;
  readonly size: number;
  /** Quoted upper-case hex MD5 of the part. */
  readonly etag: string;
  readonly crc64: string;
  readonly lastModifiedMs: number;
}

/**
 * A staged part: same contract as PendingObject (invisible until commit, abort leaves no trace, size
 * checked). Commit replaces an earlier part with the same number; it throws NoSuchUpload when the upload
 * was completed or aborted while the part was being written (the staged bytes are removed).
 */
export interface PendingPart {
  readonly sink: Writable;
  commit(checksums: { size: number; etag: string; contentMd5: string; crc64: string }): Promise<PartInfo>;
  abort(): Promise<void>;
}

/** A part chosen by CompleteMultipartUpload: its number and the ETag the client listed for it. */
export interface ChosenPart {
  readonly partNumber: number;
  readonly etag: string;
}

/**
 * `uploadId` values come from clients: stores only ever compare them (never use them as paths), and a
 * (bucket, key, uploadId) triple that does not name one upload is "no such upload".
 */
export interface MultipartStore {
  /** Throws NoSuchBucket / InvalidObjectName / KeyTooLong like beginPut. */
  initiate(meta: NewObjectMeta): Promise<MultipartUploadInfo>;
  /** Undefined when the upload does not exist (or belongs to another bucket/key). */
  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUploadInfo | undefined>;
  /**
   * Starts a staged part. Throws NoSuchUpload; RangeError for a part number outside 1…10000 (the
   * operation validates it first and answers InvalidArgument).
   */
  beginPart(bucket: string, key: string, uploadId: string, partNumber: number): Promise<PendingPart>;
  /** Parts in part-number order, after `partNumberMarker`, at most `maxParts`. Throws NoSuchUpload. */
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: { partNumberMarker?: number; maxParts: number },
  ): Promise<{ parts: PartInfo[]; isTruncated: boolean }>;
  /**
   * In-progress uploads of a bucket in (key, uploadId) UTF-8 byte order, keys starting with `prefix`.
   * Markers as in S3/OSS ListMultipartUploads: without `uploadIdMarker`, uploads whose key is after
   * `keyMarker`; with it, also uploads of `keyMarker` itself whose id is after `uploadIdMarker`
   * (`uploadIdMarker` without `keyMarker` is ignored). Throws NoSuchBucket.
   */
  listUploads(
    bucket: string,
    options: { prefix?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads: number },
  ): Promise<{ uploads: MultipartUploadInfo[]; isTruncated: boolean }>;
  /**
   * Assembles the chosen parts into the object, atomically (a crash leaves either the upload, still
   * resumable, or the object), then removes the upload and all its parts — also parts not chosen. The
   * operation validates the list first (EntityTooSmall etc. from listParts); the store re-checks, at the
   * moment it assembles, what could have changed meanwhile: each part exists with the listed ETag
   * (InvalidPart 400) and numbers strictly ascend (InvalidPartOrder 400). `etag` is the multipart ETag
   * and `crc64` the combined CRC, both computed by the caller; contentMd5 is '' for multipart objects.
   * Throws NoSuchUpload when the upload does not exist (a repeated Complete too, threats §C5 item 49),
   * FileAlreadyExists with forbidOverwrite (the upload is kept).
   */
  complete(
    upload: { bucket: string; key: string; uploadId: string },
    parts: readonly ChosenPart[],
    result: { etag: string; crc64: string },
    options?: { forbidOverwrite?: boolean },
  ): Promise<ObjectMeta>;
  /** Removes the upload and its parts; false when it did not exist. */
  abort(bucket: string, key: string, uploadId: string): Promise<boolean>;
  /** Aborts every upload initiated before `initiatedBeforeMs` (a timestamp); returns how many. */
  expireUploads(initiatedBeforeMs: number): Promise<number>;
}
