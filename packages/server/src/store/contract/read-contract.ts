// Contract: head, read (with inclusive ranges), delete, and bodies that stay whole when their object is
// replaced or deleted after the read started.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bucket,
  newMeta,
  putObject,
  readBody,
  readObject,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';

const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 251));

export function runReadContract(makeStore: ContractStoreFactory): void {
  describe('head, read and delete', () => {
    it('reads back the whole body with its metadata', async () => {
      await withStore(makeStore, async (store) => {
        const { meta } = await putObject(store, newMeta('whole'), body);
        const result = await store.read(bucket, 'whole');
        assert.ok(result);
        assert.deepEqual(result.meta, meta);
        assert.deepEqual(await readBody(result.body), body);
      });
    });

    const ranges = [
      { start: 0, end: 0 },
      { start: body.length - 1, end: body.length - 1 },
      { start: 65_535, end: 131_072 },
      { start: 0, end: body.length - 1 },
    ];
    for (const range of ranges) {
      it(`reads the inclusive byte range ${range.start}-${range.end}`, async () => {
        await withStore(makeStore, async (store) => {
          const { meta } = await putObject(store, newMeta('ranged'), body);
          const result = await store.read(bucket, 'ranged', range);
          assert.ok(result);
          assert.deepEqual(result.meta, meta, 'meta describes the whole object, not the range');
          assert.deepEqual(await readBody(result.body), body.subarray(range.start, range.end + 1));
        });
      });
    }

    it('answers undefined from head and read for a missing key or bucket', async () => {
      await withStore(makeStore, async (store) => {
        await putObject(store, newMeta('present'), body);
        assert.equal(await store.head(bucket, 'absent'), undefined);
        assert.equal(await store.read(bucket, 'absent'), undefined);
        assert.equal(await store.head('no-such-bucket', 'present'), undefined);
        assert.equal(await store.read('no-such-bucket', 'present'), undefined);
        assert.equal(await store.head(bucket, 'Present'), undefined, 'keys are case-sensitive');
      });
    });

    it('deletes an object: true the first time, false afterwards, and it is gone everywhere', async () => {
      await withStore(makeStore, async (store) => {
        await putObject(store, newMeta('doomed'), body);
        await putObject(store, newMeta('neighbour'), body);
        assert.equal(await store.delete(bucket, 'doomed'), true);
        assert.equal(await store.delete(bucket, 'doomed'), false);
        assert.equal(await store.delete('no-such-bucket', 'doomed'), false);
        assert.equal(await store.head(bucket, 'doomed'), undefined);
        assert.equal(await store.read(bucket, 'doomed'), undefined);
        const listed = await store.list(bucket, { maxKeys: 10 });
        assert.deepEqual(
          listed.objects.map((o) => o.key),
          ['neighbour'],
        );
        assert.deepEqual(await readObject(store, 'neighbour'), body);
      });
    });

    it('lets a body opened before an overwrite or delete yield the old bytes in full', async () => {
      await withStore(makeStore, async (store) => {
        await putObject(store, newMeta('moving'), body);
        const beforeOverwrite = await store.read(bucket, 'moving');
        await putObject(store, newMeta('moving'), Buffer.from('replacement'));
        const beforeDelete = await store.read(bucket, 'moving', { start: 0, end: 3 });
        assert.equal(await store.delete(bucket, 'moving'), true);
        assert.deepEqual(await readBody(beforeOverwrite!.body), body);
        assert.deepEqual(await readBody(beforeDelete!.body), Buffer.from('repl'));
        assert.equal(await store.read(bucket, 'moving'), undefined);
      });
    });
  });
}
