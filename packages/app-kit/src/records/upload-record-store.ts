// Durable upload records: one row per issued ticket (docs/adr/0006).
//   pending ──confirm──────────────▶ confirmed            (the signed OSS callback arrived)
//   pending ──markStoredUnconfirmed─▶ stored-unconfirmed  (object found, no callback: OSS 203 CallbackFailed)
//   pending ──expirePending─────────▶ expired             (ticket expired, no object seen)
//   stored-unconfirmed | expired ──confirm──▶ confirmed   (late callback)
//   expired ──markStoredUnconfirmed──▶ stored-unconfirmed (reconciliation found the object later)
// `confirmed` is terminal. Every transition is idempotent and atomic; every implementation passes
// upload-record-store.contract.ts. Any rejection from a store means "the store could not answer"
// (an UploadRecordStoreError): a callback handler must then reply non-200 so OSS reports 203.
export type UploadStatus = 'pending' | 'confirmed' | 'stored-unconfirmed' | 'expired';

export interface UploadRecord {
  /** One-time upload id, bound into the callback body of the ticket (replay protection). */
  readonly id: string;
  readonly userId: string;
  readonly bucket: string;
  /** Exact object key, or the key prefix when the ticket lets the browser choose the name. */
  readonly key: string;
  readonly keyIsPrefix: boolean;
  readonly status: UploadStatus;
  /** The stored object's actual key, once known (confirm or reconciliation); null while pending. */
  readonly objectKey: string | null;
  readonly size: number | null;
  /** ETag without quotes. */
  readonly etag: string | null;
  readonly mimeType: string | null;
  readonly createdAtMs: number;
  /** The ticket's policy expiration. */
  readonly expiresAtMs: number;
  readonly confirmedAtMs: number | null;
  /** The JSON the application returned for the confirmed callback, relayed again on replay. */
  readonly replyJson: string | null;
  /** App-defined, JSON-serialisable data attached at issue time. */
  readonly appData: string | null;
}

export interface NewUploadRecord {
  readonly id: string;
  readonly userId: string;
  readonly bucket: string;
  readonly key: string;
  readonly keyIsPrefix: boolean;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly appData?: string | null;
}

export interface ConfirmInput {
  readonly id: string;
  /** The object key the callback reported (must match key, or start with key when keyIsPrefix). */
  readonly key: string;
  readonly size: number;
  /** Surrounding double quotes, if any, are removed before storing and comparing. */
  readonly etag: string;
  readonly mimeType: string | null;
  readonly confirmedAtMs: number;
  readonly replyJson: string;
}

export type ConfirmOutcome =
  | { readonly kind: 'confirmed'; readonly record: UploadRecord }
  /** Same callback again (same key and etag): nothing changes, the stored (first) reply is returned. */
  | { readonly kind: 'replayed'; readonly record: UploadRecord }
  | { readonly kind: 'unknown-upload' }
  /** Already confirmed with a different object/etag: a second use of a one-time id. */
  | { readonly kind: 'conflict'; readonly record: UploadRecord }
  | { readonly kind: 'key-mismatch'; readonly record: UploadRecord };

export interface FoundObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export interface ListUploadRecordsOptions {
  readonly userId?: string;
  readonly status?: UploadStatus;
  /** Default 100, at most 1000. */
  readonly limit?: number;
  /** Keyset cursor: only records strictly older than this one in (createdAtMs, id) order. */
  readonly before?: { readonly createdAtMs: number; readonly id: string };
}

export interface UploadRecordStore {
  /** Rejects with UploadRecordStoreError 'duplicate-id' when the id exists (nothing is changed). */
  insertPending(record: NewUploadRecord): Promise<UploadRecord>;
  get(id: string): Promise<UploadRecord | undefined>;
  /** Atomically confirms a pending, stored-unconfirmed or expired record (see the state diagram). */
  confirm(input: ConfirmInput): Promise<ConfirmOutcome>;
  /**
   * Marks a pending or expired record whose object exists in storage without a confirmed callback.
   * Idempotent: any other status is left unchanged. Returns the record as it now is, undefined if unknown.
   */
  markStoredUnconfirmed(id: string, found: FoundObject): Promise<UploadRecord | undefined>;
  /** Marks pending records whose ticket expired before `nowMs` (expiresAtMs < nowMs) as expired; returns how many. */
  expirePending(nowMs: number): Promise<number>;
  /** Newest first: createdAtMs descending, then id descending (byte order). */
  list(options?: ListUploadRecordsOptions): Promise<UploadRecord[]>;
  close(): Promise<void>;
}
