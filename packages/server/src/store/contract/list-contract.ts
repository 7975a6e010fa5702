// Contract: listing in UTF-8 byte order (OSS ListObjects), with prefix, startAfter (exclusive),
// maxKeys and isTruncated counting only keys inside the prefix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectStore } from '../object-store.js';
import {
  assertOssError,
  bucket,
  newMeta,
  putObject,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';

async function putKeys(store: ObjectStore, keys: readonly string[]): Promise<void> {
  for (const key of keys) await putObject(store, newMeta(key), Buffer.from(key));
}

async function listKeys(
  store: ObjectStore,
  options: { prefix?: string; startAfter?: string; maxKeys: number },
): Promise<{ keys: string[]; isTruncated: boolean }> {
  const page = await store.list(bucket, options);
  return { keys: page.objects.map((o) => o.key), isTruncated: page.isTruncated };
}

export function runListContract(makeStore: ContractStoreFactory): void {
  describe('list', () => {
    it('orders keys by UTF-8 bytes, not UTF-16 code units', async () => {
      await withStore(makeStore, async (store) => {
        // U+FF01 is EF BC 81 in UTF-8 and U+1F600 is F0 9F 98 80: byte order puts U+FF01 first,
        // while JavaScript's `<` (surrogate 0xD83D < 0xFF01) would not.
        await putKeys(store, ['\u{1F600}', '\uFF01', 'b', 'a0', 'a/b', 'a', 'é', 'B', 'a-']);
        const { keys } = await listKeys(store, { maxKeys: 100 });
        assert.deepEqual(keys, ['B', 'a', 'a-', 'a/b', 'a0', 'b', 'é', '\uFF01', '\u{1F600}']);
      });
    });

    it('returns full metadata for each listed object', async () => {
      await withStore(makeStore, async (store) => {
        const { meta } = await putObject(store, newMeta('m', { userMeta: { a: '1' } }), Buffer.from('m'));
        assert.deepEqual((await store.list(bucket, { maxKeys: 1 })).objects, [meta]);
      });
    });

    it('filters by prefix and does not count keys after the prefix run as truncation', async () => {
      await withStore(makeStore, async (store) => {
        await putKeys(store, ['p', 'p/1', 'p/2', 'p0', 'q', 'o']);
        assert.deepEqual(await listKeys(store, { prefix: 'p/', maxKeys: 2 }), {
          keys: ['p/1', 'p/2'],
          isTruncated: false,
        });
        assert.deepEqual(await listKeys(store, { prefix: 'p', maxKeys: 10 }), {
          keys: ['p', 'p/1', 'p/2', 'p0'],
          isTruncated: false,
        });
        assert.deepEqual(await listKeys(store, { prefix: 'zz', maxKeys: 10 }), {
          keys: [],
          isTruncated: false,
        });
        assert.deepEqual(await listKeys(store, { prefix: 'p%', maxKeys: 10 }), {
          keys: [],
          isTruncated: false,
        });
      });
    });

    it('starts strictly after startAfter, whether or not it is itself a key', async () => {
      await withStore(makeStore, async (store) => {
        await putKeys(store, ['a', 'b', 'c', 'd']);
        assert.deepEqual((await listKeys(store, { startAfter: 'b', maxKeys: 10 })).keys, ['c', 'd']);
        assert.deepEqual((await listKeys(store, { startAfter: 'bb', maxKeys: 10 })).keys, ['c', 'd']);
        assert.deepEqual((await listKeys(store, { startAfter: 'd', maxKeys: 10 })).keys, []);
        assert.deepEqual((await listKeys(store, { startAfter: 'a', prefix: 'c', maxKeys: 10 })).keys, ['c']);
        assert.deepEqual((await listKeys(store, { startAfter: 'c', prefix: 'a', maxKeys: 10 })).keys, []);
      });
    });

    it('pages through keys with maxKeys and isTruncated', async () => {
      await withStore(makeStore, async (store) => {
        const all = Array.from({ length: 25 }, (_, i) => `page/${String(i).padStart(2, '0')}`);
        await putKeys(store, [...all, 'zzz']);
        const seen: string[] = [];
        const flags: boolean[] = [];
        let startAfter: string | undefined;
        for (;;) {
          const page = await listKeys(store, { prefix: 'page/', maxKeys: 10, startAfter });
          seen.push(...page.keys);
          flags.push(page.isTruncated);
          if (!page.isTruncated) break;
          startAfter = page.keys.at(-1);
        }
        assert.deepEqual(seen, all);
        assert.deepEqual(flags, [true, true, false]);
      });
    });

    it('reports no truncation when maxKeys equals the number of remaining keys, and truncation for 0', async () => {
      await withStore(makeStore, async (store) => {
        await putKeys(store, ['x', 'y']);
        assert.deepEqual(await listKeys(store, { maxKeys: 2 }), { keys: ['x', 'y'], isTruncated: false });
        assert.deepEqual(await listKeys(store, { maxKeys: 0 }), { keys: [], isTruncated: true });
      });
    });

    it('refuses to list a missing bucket with NoSuchBucket', async () => {
      await withStore(makeStore, async (store) => {
        await assertOssError(store.list('no-such-bucket', { maxKeys: 10 }), 'NoSuchBucket', 404);
      });
    });
  });
}
