// The last step of `list` for every store: given matching-or-later objects in UTF-8 byte order, keep the
// run that starts with `prefix` (keys sharing a prefix are contiguous in byte order) and cut one page.
import type { ObjectMeta } from './object-store.js';

export interface ListPage {
  objects: ObjectMeta[];
  isTruncated: boolean;
}

/** `ordered` must hold up to maxKeys + 1 objects with key ≥ prefix and > startAfter, in byte order. */
export function cutListPage(ordered: readonly ObjectMeta[], prefix: string, maxKeys: number): ListPage {
  const firstOutside = ordered.findIndex((meta) => !meta.key.startsWith(prefix));
  const matching = firstOutside === -1 ? ordered : ordered.slice(0, firstOutside);
  return { objects: matching.slice(0, maxKeys), isTruncated: matching.length > maxKeys };
}

/** maxKeys is validated by the protocol layer (OSS max-keys); a bad value here is a programming error. */
export function assertMaxKeys(maxKeys: number): void {
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 0) {
    throw new RangeError(`maxKeys must be a non-negative integer, got ${maxKeys}`);
  }
}
