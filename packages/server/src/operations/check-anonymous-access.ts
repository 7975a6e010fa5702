// Anonymous access by ACL (architecture §3 auth dispatch): an object's own ACL when it is not `default`,
// otherwise its bucket's (public-read → read, public-read-write → read and write). Used by the HTTP
// core's auth dispatch (http/authorize-request.ts) and by CopyObject for the source it reads.
import { OssError } from '@upcall/protocol';
import type { ServerDeps } from '../http/request-context.js';
import type { AnonymousAccess } from '../http/route-request.js';
import type { BucketInfo } from '../store/object-store.js';

export const bucketAclDeniedMessage = 'You have no right to access this object because of bucket acl.';
export const objectAclDeniedMessage = 'You have no right to access this object because of object acl.';

type Acl = BucketInfo['acl'];

/** A pure verdict: may an anonymous caller do `needed` under `acl`? */
export function checkAnonymousAcl(acl: Acl, needed: AnonymousAccess): boolean {
  switch (needed) {
    case 'read':
      return acl === 'public-read' || acl === 'public-read-write';
    case 'write':
      return acl === 'public-read-write';
    case 'never':
      return false;
  }
}

function toAcl(value: string): Acl | undefined {
  return value === 'private' || value === 'public-read' || value === 'public-read-write' ? value : undefined;
}

/**
 * Throws AccessDenied unless an anonymous caller may do `needed` to `key` (or to the bucket itself when
 * `key` is undefined). A missing key falls back to the bucket ACL, so a private bucket does not reveal
 * which keys exist.
 */
export async function checkAnonymousAccess(
  deps: ServerDeps,
  bucket: BucketInfo,
  key: string | undefined,
  needed: AnonymousAccess,
): Promise<void> {
  if (key !== undefined) {
    const meta = await deps.store.head(bucket.name, key);
    const objectAcl = meta === undefined ? undefined : toAcl(meta.acl);
    if (objectAcl !== undefined) {
      if (checkAnonymousAcl(objectAcl, needed)) return;
      throw new OssError('AccessDenied', { message: objectAclDeniedMessage });
    }
  }
  if (checkAnonymousAcl(bucket.acl, needed)) return;
  throw new OssError('AccessDenied', { message: bucketAclDeniedMessage });
}
