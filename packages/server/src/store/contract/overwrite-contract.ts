// Contract: replacing objects. Overwrite is atomic (OSS; S3 "last writer wins"): concurrent writers to
// one key end with exactly one whole body and its own metadata, never a mix (threats §C4 item 39).
// x-oss-forbid-overwrite (oss-protocol §3.4) fails with FileAlreadyExists 409 and keeps the old object.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  assertOssError,
  bucket,
  checksumsOf,
  filesOf,
  newMeta,
  putObject,
  readObject,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';

/** Distinct bodies of distinct lengths, some spanning several sink writes. */
function bodyNumber(n: number): Buffer {
  return Buffer.alloc(1000 + n * 4099, `writer ${n};`);
}

export function runOverwriteContract(makeStore: ContractStoreFactory): void {
  describe('overwrite', () => {
    it('replaces an object and its metadata with the new version', async () => {
      await withStore(makeStore, async (store) => {
        await putObject(
          store,
          newMeta('v', { userMeta: { version: '1' }, contentType: 'text/plain' }),
          bodyNumber(1),
        );
        const { meta } = await putObject(store, newMeta('v', { userMeta: { version: '2' } }), bodyNumber(2));
        assert.deepEqual(await store.head(bucket, 'v'), meta);
        assert.deepEqual(meta.userMeta, { version: '2' });
        assert.equal(meta.contentType, 'application/octet-stream');
        assert.deepEqual(await readObject(store, 'v'), bodyNumber(2));
        assert.equal((await store.list(bucket, { maxKeys: 10 })).objects.length, 1);
      });
    });

    it('refuses a forbidOverwrite commit on an existing key with FileAlreadyExists, keeping the old object', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const { meta: old } = await putObject(
          store,
          newMeta('keep', { userMeta: { v: 'old' } }),
          bodyNumber(1),
        );
        const filesBefore = await filesOf(dataDir);
        await assertOssError(
          putObject(store, newMeta('keep', { userMeta: { v: 'new' } }), bodyNumber(2), {
            forbidOverwrite: true,
          }),
          'FileAlreadyExists',
          409,
        );
        assert.deepEqual(await store.head(bucket, 'keep'), old);
        assert.deepEqual(await readObject(store, 'keep'), bodyNumber(1));
        assert.deepEqual(await filesOf(dataDir), filesBefore, 'the refused bytes must be removed');
      });
    });

    it('accepts a forbidOverwrite commit on a new key', async () => {
      await withStore(makeStore, async (store) => {
        await putObject(store, newMeta('fresh'), bodyNumber(3), { forbidOverwrite: true });
        assert.deepEqual(await readObject(store, 'fresh'), bodyNumber(3));
      });
    });

    it('ends 20 concurrent writers to one key with exactly one whole body and its own metadata', async () => {
      await withStore(makeStore, async (store) => {
        const writers = Array.from({ length: 20 }, (_, n) => n);
        await Promise.all(
          writers.map((n) =>
            putObject(store, newMeta('contended', { userMeta: { writer: String(n) } }), bodyNumber(n)),
          ),
        );
        const meta = await store.head(bucket, 'contended');
        assert.ok(meta);
        const winner = Number(meta.userMeta.writer);
        assert.ok(writers.includes(winner));
        const body = await readObject(store, 'contended');
        assert.deepEqual(body, bodyNumber(winner));
        assert.equal(meta.etag, checksumsOf(bodyNumber(winner)).etag);
        assert.equal(meta.size, bodyNumber(winner).length);
      });
    });

    it('lets exactly one of 10 concurrent forbidOverwrite writers win and removes the losers’ bytes', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const files0 = await filesOf(dataDir);
        await putObject(store, newMeta('reference'), bodyNumber(0));
        const filesPerObject = (await filesOf(dataDir)).length - files0.length;
        const before = await filesOf(dataDir);
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, n) =>
            putObject(store, newMeta('once', { userMeta: { writer: String(n) } }), bodyNumber(n), {
              forbidOverwrite: true,
            }),
          ),
        );
        const winners = results.filter((r) => r.status === 'fulfilled');
        assert.equal(winners.length, 1);
        for (const r of results) {
          if (r.status === 'rejected')
            assert.equal((r.reason as { code?: string }).code, 'FileAlreadyExists');
        }
        const meta = await store.head(bucket, 'once');
        assert.deepEqual(await readObject(store, 'once'), bodyNumber(Number(meta?.userMeta.writer)));
        assert.equal(
          (await filesOf(dataDir)).length - before.length,
          filesPerObject,
          'losers left files behind',
        );
      });
    });

    it('serves whole versions to readers while a key is overwritten repeatedly', async () => {
      await withStore(makeStore, async (store) => {
        const versions = [bodyNumber(5), bodyNumber(9)];
        await putObject(store, newMeta('flip'), versions[0]!);
        let writing = true;
        const writer = (async () => {
          for (let i = 1; i <= 12; i += 1) await putObject(store, newMeta('flip'), versions[i % 2]!);
          writing = false;
        })();
        let reads = 0;
        while (writing || reads < 5) {
          const body = await readObject(store, 'flip');
          assert.ok(
            versions.some((v) => v.equals(body!)),
            'a read saw a mix or a partial body',
          );
          reads += 1;
          await nextTurn(); // let the writer's I/O run even if a read completes without any
        }
        await writer;
      });
    });
  });
}
