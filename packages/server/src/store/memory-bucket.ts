// The state of one bucket in MemoryObjectStore, shared by the object side and the multipart side.
import type { BucketInfo, ObjectMeta } from './object-store.js';
import type { MultipartUploadInfo, PartInfo } from './multipart-store.js';
import { noSuchBucket } from './store-errors.js';

export interface StoredObject {
  readonly meta: ObjectMeta;
  readonly body: Buffer;
}

export interface MemoryUpload {
  readonly info: MultipartUploadInfo;
  readonly parts: Map<number, { readonly info: PartInfo; readonly body: Buffer }>;
}

export interface MemoryBucket {
  info: BucketInfo;
  /** JSON text, so a caller mutating the rules it passed or got back cannot change what is stored. */
  corsJson: string | undefined;
  readonly objects: Map<string, StoredObject>;
  readonly uploads: Map<string, MemoryUpload>;
}

/**
 * The bucket `name` names now. Staged writes call this again at commit and compare identities, so a
 * write begun before DeleteBucket does not land in a detached map (it fails with NoSuchBucket).
 */
export function requireMemoryBucket(buckets: ReadonlyMap<string, MemoryBucket>, name: string): MemoryBucket {
  const bucket = buckets.get(name);
  if (bucket === undefined) throw noSuchBucket(name);
  return bucket;
}

/** Runs synchronous store logic so that a throw becomes a rejection, as callers of a Promise API expect. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
