// The storage layer of the server: the ObjectStore interface and its implementations. The shared
// contract suites (object-store.contract.ts, multipart-store.contract.ts) are imported by path from
// tests, so production code never loads node:test.
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
export { isValidBucketName, assertValidBucketName } from './bucket-name.js';
export { maxKeyBytes } from './object-key.js';
