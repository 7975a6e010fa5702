// Durable upload records: one row per issued ticket, moving pending → confirmed | callback-failed | expired.
// Every transition is idempotent; every implementation passes upload-record-store.contract.ts.
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
  readonly etag: string;
  readonly mimeType: string | null;
  readonly confirmedAtMs: number;
  readonly replyJson: string;
}

export type ConfirmOutcome =
  | { readonly kind: 'confirmed'; readonly record: UploadRecord }
  /** Same callback again (same key and etag): nothing changes, the stored reply is returned. */
  | { readonly kind: 'replayed'; readonly record: UploadRecord }
  | { readonly kind: 'unknown-upload' }
  /** Already confirmed with a different object/etag: a second use of a one-time id. */
  | { readonly kind: 'conflict'; readonly record: UploadRecord }
  | { readonly kind: 'key-mismatch'; readonly record: UploadRecord };

export interface UploadRecordStore {
  insertPending(record: NewUploadRecord): Promise<UploadRecord>;
  get(id: string): Promise<UploadRecord | undefined>;
  /** Atomically confirms a pending (or stored-unconfirmed / expired-but-stored) record. */
  confirm(input: ConfirmInput): Promise<ConfirmOutcome>;
  /** Marks a pending record whose object exists in storage without a confirmed callback. */
  markStoredUnconfirmed(
    id: string,
    found: { key: string; size: number; etag: string },
  ): Promise<UploadRecord | undefined>;
  /** Marks pending records whose ticket expired before `nowMs` as expired; returns how many. */
  expirePending(nowMs: number): Promise<number>;
  list(options?: { userId?: string; status?: UploadStatus; limit?: number }): Promise<UploadRecord[]>;
  close(): Promise<void>;
}
