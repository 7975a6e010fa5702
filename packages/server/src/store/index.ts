// The storage layer of the server: the ObjectStore interface and its implementations: the embedded
// filesystem store, the in-memory store, and the S3 gateway store (docs/scale-out.md). The shared contract
// suites (object-store.contract.ts, multipart-store.contract.ts) are imported by path from tests, so
// production code never loads node:test.
export type {
  BucketCors,
  BucketCorsRule,
  BucketInfo,
  CommitResult,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  PendingObject,
} from './object-store.js';
export {
  maxPartNumber,
  minPartNumber,
  type ChosenPart,
  type MultipartStore,
  type MultipartUploadInfo,
  type PartInfo,
  type PendingPart,
} from './multipart-store.js';
export { FsObjectStore, type FsObjectStoreOptions } from './fs-object-store.js';
export type { SweepReport } from './sweep-orphans.js';
export { MemoryObjectStore, type MemoryObjectStoreOptions } from './memory-object-store.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';
export { S3BucketMap, parseS3BucketMap, type S3BucketMapOptions } from './s3-bucket-map.js';
export { createS3Client, type S3Connection } from './s3-client.js';
export { openS3ObjectStore, type S3StoreConfig, type StoreConfig } from './s3-store-config.js';
export { isValidBucketName, assertValidBucketName } from './bucket-name.js';
export { maxKeyBytes } from './object-key.js';
