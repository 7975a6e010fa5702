// The one error type upload record stores reject with. 'duplicate-id' is a caller bug or a replayed ticket
// issue; 'unavailable' means the database could not answer in time (locked, down, partitioned): the callback
// handler must answer non-200 quickly so OSS reports 203 and reconciliation records the object later
// (threats §C6.57, §C6.58).
export type UploadRecordStoreErrorCode = 'duplicate-id' | 'unavailable';

export class UploadRecordStoreError extends Error {
  readonly code: UploadRecordStoreErrorCode;

  constructor(code: UploadRecordStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UploadRecordStoreError';
    this.code = code;
  }
}

export function isUploadRecordStoreError(value: unknown): value is UploadRecordStoreError {
  return value instanceof UploadRecordStoreError;
}
