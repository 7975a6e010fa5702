// What the fuzz oracle looks at after each request: the objects in the store (to find anything a request
// created or replaced) and the staging directory (which must be empty once the response is out).
import assert from 'node:assert/strict';
import type { ObjectMeta, ObjectStore } from '../store/object-store.js';

export type StoreSnapshot = ReadonlyMap<string, ObjectMeta>;

/** Every object of the given buckets, by `bucket/key`. */
export async function snapshotStore(store: ObjectStore, buckets: readonly string[]): Promise<StoreSnapshot> {
  const out = new Map<string, ObjectMeta>();
  for (const bucket of buckets) {
    let startAfter: string | undefined;
    for (;;) {
      const page = await store.list(bucket, {
        maxKeys: 1000,
        ...(startAfter === undefined ? {} : { startAfter }),
      });
      for (const meta of page.objects) out.set(`${bucket}/${meta.key}`, meta);
      if (!page.isTruncated || page.objects.length === 0) break;
      startAfter = page.objects.at(-1)?.key;
    }
  }
  return out;
}

/** Objects that are new in `after`, or whose ETag or size changed. */
export function changedObjects(before: StoreSnapshot, after: StoreSnapshot): ObjectMeta[] {
  return [...after].flatMap(([id, meta]) => {
    const old = before.get(id);
    return old !== undefined && old.etag === meta.etag && old.size === meta.size ? [] : [meta];
  });
}

/** Polls until the staging directory is empty (temp files are removed just after the response). */
export async function waitForNoTempFiles(list: () => Promise<string[]>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await list();
    if (left.length === 0) return;
    if (Date.now() > deadline) assert.fail(`temp files left behind: ${left.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
