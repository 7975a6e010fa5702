// Building the stored metadata from what the writer gave: a snapshot at beginPut (so a caller mutating
// its header maps later cannot change what gets stored), completed with the checksums at commit.
import type { NewObjectMeta, ObjectMeta, PendingObject } from './object-store.js';

export type Checksums = Parameters<PendingObject['commit']>[0];

/** Copies exactly the NewObjectMeta fields (stray extra properties are not stored). */
export function snapshotNewMeta(meta: NewObjectMeta): NewObjectMeta {
  return {
    bucket: meta.bucket,
    key: meta.key,
    contentType: meta.contentType,
    headers: copyStringMap(meta.headers),
    userMeta: copyStringMap(meta.userMeta),
    acl: meta.acl,
    storageClass: meta.storageClass,
  };
}

export function buildObjectMeta(
  meta: NewObjectMeta,
  checksums: Checksums,
  lastModifiedMs: number,
): ObjectMeta {
  return {
    ...meta,
    size: checksums.size,
    etag: checksums.etag,
    contentMd5: checksums.contentMd5,
    crc64: checksums.crc64,
    lastModifiedMs,
  };
}

/**
 * Own-property copy. `Object.entries`/`fromEntries` define properties rather than assign them, so a
 * user-meta name such as `__proto__` stays a plain entry and never touches a prototype (threats §B13).
 */
function copyStringMap(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, String(value)]));
}
