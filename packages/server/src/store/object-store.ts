// The object store: bytes + object metadata, behind one small interface so the embedded filesystem store
// (FsObjectStore), the in-memory test store (MemoryObjectStore) and the S3 gateway store (S3ObjectStore,
// docs/scale-out.md) are interchangeable. Every implementation must pass the shared contract suite in
// object-store.contract.ts.
import type { Readable, Writable } from 'node:stream';
import type { MultipartStore } from './multipart-store.js';

/** Metadata stored with an object and returned by GET/HEAD. Header names are OSS wire names. */
export interface ObjectMeta {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Quoted upper-case hex MD5 for single uploads (`"D41D…"`), as OSS sends it. */
  readonly etag: string;
  /** Base64 MD5 of the content ('' for multipart objects). */
  readonly contentMd5: string;
  /** Decimal CRC-64/ECMA of the content. */
  readonly crc64: string;
  readonly contentType: string;
  readonly lastModifiedMs: number;
  /** Stored response headers: Cache-Control, Content-Disposition, Content-Encoding, Expires. */
  readonly headers: Readonly<Record<string, string>>;
  /** User metadata, names lower-case without the `x-oss-meta-` prefix. */
  readonly userMeta: Readonly<Record<string, string>>;
  /** `default` | `private` | `public-read` | `public-read-write`. */
  readonly acl: string;
  readonly storageClass: string;
}

/** What the writer knows before the body arrives; size and checksums are filled in at commit. */
export type NewObjectMeta = Omit<ObjectMeta, 'size' | 'etag' | 'contentMd5' | 'crc64' | 'lastModifiedMs'>;

export interface CommitResult {
  readonly meta: ObjectMeta;
}

/**
 * A staged upload: bytes are written to a private temporary place, invisible to readers until `commit`.
 * Exactly one of `commit` or `abort` is called; `abort` must remove every trace (no temp file left).
 * Both are safe to call again afterwards: `abort` after a settled commit is a no-op (a failed commit has
 * already cleaned up), so `try { await p.commit(…) } catch { await p.abort() }` is correct.
 */
export interface PendingObject {
  /**
   * Writable side for the body, with normal backpressure (`write()` returns false above its
   * highWaterMark). The caller pipes the (limited, hashed) stream here and ends it before `commit`.
   * Write errors (ENOSPC, EIO, EFBIG) surface as the sink's 'error', i.e. as a pipeline rejection.
   */
  readonly sink: Writable;
  /**
   * Durably publishes the object under its key, replacing any previous version atomically.
   * Throws (and removes the staged bytes) when the sink was not ended or failed, when `checksums.size`
   * differs from the bytes actually stored (short write, threats §B13: InternalError), or, with
   * `forbidOverwrite`, when the key exists (FileAlreadyExists 409, the old object untouched).
   */
  commit(
    checksums: { size: number; etag: string; contentMd5: string; crc64: string },
    options?: { forbidOverwrite?: boolean },
  ): Promise<CommitResult>;
  abort(): Promise<void>;
}

export interface BucketInfo {
  readonly name: string;
  readonly acl: 'private' | 'public-read' | 'public-read-write';
  readonly createdMs: number;
}

/**
 * Keys are opaque strings: `..`, backslashes, `%2e%2e`, `/` are stored literally and never become paths.
 * head/read/delete on a missing bucket behave as on a missing key; `list` throws NoSuchBucket.
 */
export interface ObjectStore {
  /**
   * Idempotent: creating an existing bucket returns it unchanged (its ACL is not reset), so start-up can
   * create the configured buckets every time. Throws InvalidBucketName outside 3–63 of `[a-z0-9-]`
   * with no leading/trailing `-`.
   */
  createBucket(name: string, acl?: BucketInfo['acl']): Promise<BucketInfo>;
  getBucket(name: string): Promise<BucketInfo | undefined>;
  /** Buckets by name. */
  listBuckets(): Promise<BucketInfo[]>;
  /**
   * Starts a staged write. Throws OssError NoSuchBucket when the bucket is missing, InvalidObjectName
   * for an empty or not well-formed (lone surrogate) key, KeyTooLong above 1023 UTF-8 bytes.
   */
  beginPut(meta: NewObjectMeta): Promise<PendingObject>;
  head(bucket: string, key: string): Promise<ObjectMeta | undefined>;
  /**
   * Reads an object; `range` is inclusive byte offsets already validated against size. The body is the
   * version current at the call: a later overwrite or delete does not change or cut it.
   */
  read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ meta: ObjectMeta; body: Readable } | undefined>;
  /** Deletes; resolves false when the key did not exist (OSS answers 204 either way). */
  delete(bucket: string, key: string): Promise<boolean>;
  /**
   * Lists keys in lexicographic (UTF-8 byte) order: keys starting with `prefix`, strictly after
   * `startAfter`, at most `maxKeys`; `isTruncated` when more matching keys follow. NoSuchBucket if missing.
   */
  list(
    bucket: string,
    options: { prefix?: string; startAfter?: string; maxKeys: number },
  ): Promise<{ objects: ObjectMeta[]; isTruncated: boolean }>;
  /**
   * Deletes an empty bucket; resolves false when it did not exist. Throws BucketNotEmpty (409) while
   * objects or multipart uploads remain (OSS DeleteBucket). A write begun before the delete and committed
   * after it fails with NoSuchBucket rather than storing an object in a bucket that no longer exists.
   */
  deleteBucket(name: string): Promise<boolean>;
  /** Changes a bucket's ACL; NoSuchBucket when missing. */
  setBucketAcl(name: string, acl: BucketInfo['acl']): Promise<void>;
  /**
   * The bucket's CORS configuration as stored by PutBucketCors (oss-protocol §12); undefined when none is
   * configured (CORS off, the OSS default). NoSuchBucket when the bucket is missing.
   */
  getBucketCors(name: string): Promise<BucketCors | undefined>;
  /**
   * Replaces (cors) or deletes (undefined) the bucket's CORS configuration; NoSuchBucket when missing.
   * Stored verbatim (a copy): validation (≤ 10 rules, wildcards, methods) is the operation's job.
   */
  setBucketCors(name: string, cors: BucketCors | undefined): Promise<void>;
  /** Multipart uploads of this store. */
  readonly multipart: MultipartStore;
  close(): Promise<void>;
}

/** A bucket's `<CORSConfiguration>` (oss-protocol §12): rules in document order, first match wins. */
export interface BucketCors {
  readonly rules: readonly BucketCorsRule[];
  /** `<ResponseVary>true`: always answer with `Vary: Origin`. It is per configuration, not per rule. */
  readonly responseVary: boolean;
}

/** One `<CORSRule>` of PutBucketCors (oss-protocol §12). */
export interface BucketCorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}
