// Upload records: the store interface, its SQLite and PostgreSQL implementations, and reconciliation.
// The contract suite (upload-record-store.contract.ts) is test support and is imported by path.
export type {
  ConfirmInput,
  ConfirmOutcome,
  FoundObject,
  ListUploadRecordsOptions,
  NewUploadRecord,
  UploadRecord,
  UploadRecordStore,
  UploadStatus,
} from './upload-record-store.js';
export {
  UploadRecordStoreError,
  isUploadRecordStoreError,
  type UploadRecordStoreErrorCode,
} from './upload-record-store-error.js';
export {
  SqliteUploadRecordStore,
  sqliteSchemaVersion,
  type SqliteUploadRecordStoreOptions,
} from './sqlite-upload-record-store.js';
export {
  PostgresUploadRecordStore,
  type PostgresUploadRecordStoreOptions,
} from './postgres-upload-record-store.js';
export {
  reconcileUploads,
  type ListedObject,
  type ObjectLister,
  type ReconcileSummary,
  type ReconcileUploadsOptions,
} from './reconcile-uploads.js';
