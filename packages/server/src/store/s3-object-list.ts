// Listing delegated to the backend: S3 ListObjectsV2 lists in UTF-8 byte order, which is OSS's order too
// (verified on Ceph 16 with U+FF01 against U+1F600). Keys are requested URL-encoded so that control
// characters and trailing spaces survive the XML. The gateway's `.upcall/` keys are skipped, jumping past
// their whole range at once. ObjectMeta needs the metadata S3 listings do not return, so each listed
// object costs one HEAD (run `concurrency` at a time) — the price of the ObjectStore interface's full
// metadata in listings (docs/scale-out.md).
import { HeadObjectCommand, ListObjectsV2Command, type _Object } from '@aws-sdk/client-s3';
import { compareUtf8 } from './compare-utf8.js';
import type { ObjectMeta } from './object-store.js';
import { isNotFoundError } from './s3-errors.js';
import { hiddenPrefix, isHiddenKey } from './s3-hidden-keys.js';
import { decodeObjectMeta } from './s3-meta-codec.js';
import { mapLimited, type S3StoreContext } from './s3-store-context.js';

export interface ListedKey {
  readonly key: string;
  readonly size: number;
  readonly lastModifiedMs: number;
}

/** Past every key the gateway writes under `.upcall/` (they are ASCII; U+10FFFF is the last code point). */
const afterHidden = `${hiddenPrefix}\u{10FFFF}`;

/** S3's `encoding-type=url` form: `%XX` escapes, and (on AWS) `+` for a space. */
export function decodeListedKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

function toListedKey(object: _Object): ListedKey {
  return {
    key: decodeListedKey(object.Key ?? ''),
    size: object.Size ?? 0,
    lastModifiedMs: object.LastModified?.getTime() ?? 0,
  };
}

interface ListWindow {
  readonly prefix: string;
  readonly startAfter: string;
  /** Stop once more than this many keys were found (limit + 1 tells "truncated"). */
  readonly limit: number;
  /** Skip `.upcall/` keys (user listings) or keep them (the gateway's own listings). */
  readonly hidden: 'skip' | 'keep';
}

/** Keys from the backend in byte order, at most window.limit + 1 of them. */
export async function listBackendKeys(
  ctx: S3StoreContext,
  backendBucket: string,
  window: ListWindow,
): Promise<ListedKey[]> {
  if (window.hidden === 'skip' && isHiddenKey(window.prefix)) return [];
  const found: ListedKey[] = [];
  let startAfter = window.startAfter;
  let token: string | undefined;
  for (;;) {
    const page = await ctx.client.send(
      new ListObjectsV2Command({
        Bucket: backendBucket,
        Prefix: window.prefix === '' ? undefined : window.prefix,
        StartAfter: startAfter === '' ? undefined : startAfter,
        ContinuationToken: token,
        MaxKeys: Math.min(1000, window.limit + 1 - found.length),
        EncodingType: 'url',
      }),
    );
    let jumped = false;
    for (const listed of (page.Contents ?? []).map(toListedKey)) {
      if (window.hidden === 'skip' && isHiddenKey(listed.key)) {
        jumped = compareUtf8(startAfter, afterHidden) < 0;
        if (jumped) break;
        continue; // a foreign key beyond the jump target: skipped one by one
      }
      found.push(listed);
      if (found.length > window.limit) return found;
    }
    if (jumped) {
      startAfter = afterHidden;
      token = undefined;
      continue;
    }
    if (page.IsTruncated !== true || page.NextContinuationToken === undefined) return found;
    token = page.NextContinuationToken;
  }
}

/** Every key under `prefix` (the gateway's own records), in byte order. */
export async function listAllKeys(
  ctx: S3StoreContext,
  backendBucket: string,
  prefix: string,
): Promise<ListedKey[]> {
  return listBackendKeys(ctx, backendBucket, {
    prefix,
    startAfter: '',
    limit: Number.MAX_SAFE_INTEGER - 1,
    hidden: 'keep',
  });
}

/** The metadata of one object; undefined when it is missing (or deleted since it was listed). */
export async function headObject(
  ctx: S3StoreContext,
  ossBucket: string,
  backendBucket: string,
  key: string,
): Promise<ObjectMeta | undefined> {
  try {
    const head = await ctx.client.send(new HeadObjectCommand({ Bucket: backendBucket, Key: key }));
    return decodeObjectMeta(ossBucket, key, {
      size: head.ContentLength ?? 0,
      metadata: head.Metadata,
      contentType: head.ContentType,
      etag: head.ETag,
      lastModified: head.LastModified,
    });
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
}

/** A page of visible objects with their metadata, as ObjectStore.list promises. */
export async function listObjectPage(
  ctx: S3StoreContext,
  target: { ossBucket: string; backendBucket: string },
  options: { prefix: string; startAfter: string; maxKeys: number },
): Promise<{ objects: ObjectMeta[]; isTruncated: boolean }> {
  const keys = await listBackendKeys(ctx, target.backendBucket, {
    prefix: options.prefix,
    startAfter: options.startAfter,
    limit: options.maxKeys,
    hidden: 'skip',
  });
  const page = keys.slice(0, options.maxKeys);
  const metas = await mapLimited(page, ctx.tuning.concurrency, (listed) =>
    headObject(ctx, target.ossBucket, target.backendBucket, listed.key),
  );
  const objects = metas.filter((meta): meta is ObjectMeta => meta !== undefined);
  return { objects, isTruncated: keys.length > options.maxKeys };
}
