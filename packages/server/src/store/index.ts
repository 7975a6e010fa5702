// The storage layer of the server: the ObjectStore interface and its implementations. The shared
// contract suite (object-store.contract.ts) is imported by path from tests, so production code never
// loads node:test.
export type {
  BucketInfo,
  CommitResult,
  NewObjectMeta,
  ObjectMeta,
  ObjectStore,
  PendingObject,
} from './object-store.js';
export { FsObjectStore, type FsObjectStoreOptions } from './fs-object-store.js';
export type { SweepReport } from './sweep-orphans.js';
export { MemoryObjectStore } from './memory-object-store.js';
export { isValidBucketName, assertValidBucketName } from './bucket-name.js';
export { maxKeyBytes } from './object-key.js';
