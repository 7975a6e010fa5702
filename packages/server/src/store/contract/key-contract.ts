// Contract: odd keys are literal keys (threats §B6, §C2 items 14–15). `..`, `%2e%2e`, backslashes,
// leading `/`, Windows device names, unicode and 1023-byte keys round-trip exactly and never create a
// file outside the store. (Refusing leading `/` or `\` and control characters is the protocol layer's job.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename, dirname, sep } from 'node:path';
import {
  bucket,
  newMeta,
  putObject,
  readObject,
  walkFiles,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';

const oddKeys: readonly string[] = [
  '../../escape-dotdot',
  'a/../../escape-mid',
  '%2e%2e/escape-encoded',
  '%2e%2e%2fescape-encoded-slash',
  '..\\..\\escape-backslash',
  'a\\..\\b',
  '/escape-absolute',
  './here',
  'a//b',
  'CON',
  'x.',
  'trailing space ',
  'a:stream',
  '日本語/ファイル.txt',
  '\u{1F600}/smile',
  'user/alice/../bob/x',
  '€'.repeat(341),
  '../'.repeat(341),
];

export function runKeyContract(makeStore: ContractStoreFactory): void {
  describe('odd keys', () => {
    it('stores traversal-looking, unicode and 1023-byte keys as literal keys that round-trip exactly', async () => {
      await withStore(makeStore, async (store) => {
        for (const key of oddKeys) await putObject(store, newMeta(key), Buffer.from(`body of ${key}`));
        for (const key of oddKeys) {
          assert.equal((await store.head(bucket, key))?.key, key);
          assert.deepEqual(await readObject(store, key), Buffer.from(`body of ${key}`));
        }
        const listed = await store.list(bucket, { maxKeys: 1000 });
        assert.deepEqual(listed.objects.map((o) => o.key).sort(), [...oddKeys].sort());
        assert.equal(Buffer.byteLength('€'.repeat(341)), 1023);
      });
    });

    it('keeps a key with `..` distinct from the key it would normalise to', async () => {
      await withStore(makeStore, async (store) => {
        await putObject(store, newMeta('user/alice/../bob/x'), Buffer.from('alice'));
        await putObject(store, newMeta('a/../b'), Buffer.from('dotted'));
        assert.equal(await store.head(bucket, 'user/bob/x'), undefined);
        assert.equal(await store.head(bucket, 'b'), undefined);
        assert.equal(await store.delete(bucket, 'b'), false);
        assert.deepEqual(await readObject(store, 'a/../b'), Buffer.from('dotted'));
      });
    });

    it('creates no file outside the data directory and no file named after a key', async (t) => {
      await withStore(makeStore, async (store, dataDir) => {
        if (dataDir === undefined) {
          t.skip('the store has no data directory');
          return;
        }
        for (const key of oddKeys) await putObject(store, newMeta(key), Buffer.from(key));
        const parent = dirname(dataDir);
        const files = await walkFiles(parent);
        const outside = files.filter((path) => !path.startsWith(basename(dataDir) + sep));
        assert.deepEqual(outside, [], 'files written outside the store');
        const keyNamed = files.filter((path) => /escape|smile|ファイル|CON|here/.test(path));
        assert.deepEqual(keyNamed, [], 'file names derived from keys');
      });
    });
  });
}
