// Contract: staged writes. Nothing is visible before commit; commit stores exactly the metadata given;
// abort and every failed commit leave no trace (threats §B13, §C7 item 60); write errors surface.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
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

export function runWriteContract(makeStore: ContractStoreFactory): void {
  describe('staged writes', () => {
    it('makes a committed object visible with exactly the metadata given', async () => {
      await withStore(makeStore, async (store) => {
        const userMeta = Object.fromEntries([
          ['uid', '42'],
          ['__proto__', 'plain entry'],
        ]);
        const meta = newMeta('docs/report.pdf', {
          contentType: 'application/pdf',
          headers: { 'Cache-Control': 'no-cache', 'Content-Disposition': 'attachment; filename="r.pdf"' },
          userMeta,
          acl: 'public-read',
          storageClass: 'IA',
        });
        const body = Buffer.from('%PDF-1.7 hello');
        const { meta: committed } = await putObject(store, meta, body);
        assert.deepEqual(committed, {
          ...meta,
          ...checksumsOf(body),
          lastModifiedMs: committed.lastModifiedMs,
        });
        assert.ok(Number.isSafeInteger(committed.lastModifiedMs));
        assert.equal(Object.getPrototypeOf(committed.userMeta), Object.prototype);
        assert.deepEqual(await store.head(bucket, 'docs/report.pdf'), committed);
        const read = await store.read(bucket, 'docs/report.pdf');
        assert.deepEqual(read?.meta, committed);
        read?.body.destroy();
        assert.deepEqual((await store.list(bucket, { maxKeys: 10 })).objects, [committed]);
      });
    });

    it('stores a snapshot of the metadata taken at beginPut', async () => {
      await withStore(makeStore, async (store) => {
        const headers: Record<string, string> = { 'Cache-Control': 'no-cache' };
        const pending = await store.beginPut(newMeta('snap', { headers }));
        headers['Cache-Control'] = 'changed';
        pending.sink.end(Buffer.from('x'));
        await once(pending.sink, 'finish');
        const { meta } = await pending.commit(checksumsOf(Buffer.from('x')));
        assert.deepEqual(meta.headers, { 'Cache-Control': 'no-cache' });
      });
    });

    it('stores a 0-byte object', async () => {
      await withStore(makeStore, async (store) => {
        const { meta } = await putObject(store, newMeta('empty'), Buffer.alloc(0));
        assert.equal(meta.size, 0);
        assert.deepEqual(await readObject(store, 'empty'), Buffer.alloc(0));
      });
    });

    it('shows nothing before commit, even after the body has been fully written', async () => {
      await withStore(makeStore, async (store) => {
        const pending = await store.beginPut(newMeta('not-yet'));
        pending.sink.end(Buffer.from('staged'));
        await once(pending.sink, 'finish');
        assert.equal(await store.head(bucket, 'not-yet'), undefined);
        assert.equal(await store.read(bucket, 'not-yet'), undefined);
        assert.deepEqual((await store.list(bucket, { maxKeys: 10 })).objects, []);
        await pending.commit(checksumsOf(Buffer.from('staged')));
        assert.deepEqual(await readObject(store, 'not-yet'), Buffer.from('staged'));
      });
    });

    it('leaves no object and no file after abort, also while the sink is still open mid-write', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const finished = await store.beginPut(newMeta('aborted-1'));
        finished.sink.end(Buffer.alloc(100_000, 1));
        await once(finished.sink, 'finish');
        await finished.abort();
        const midWrite = await store.beginPut(newMeta('aborted-2'));
        midWrite.sink.write(Buffer.alloc(300_000, 2));
        await midWrite.abort();
        assert.equal(await store.head(bucket, 'aborted-1'), undefined);
        assert.equal(await store.head(bucket, 'aborted-2'), undefined);
        assert.deepEqual(await filesOf(dataDir), before);
      });
    });

    it('treats abort after commit as a no-op and refuses commit after abort', async () => {
      await withStore(makeStore, async (store) => {
        const committed = await store.beginPut(newMeta('kept'));
        committed.sink.end(Buffer.from('kept'));
        await once(committed.sink, 'finish');
        await committed.commit(checksumsOf(Buffer.from('kept')));
        await committed.abort();
        assert.deepEqual(await readObject(store, 'kept'), Buffer.from('kept'));
        const aborted = await store.beginPut(newMeta('dropped'));
        await aborted.abort();
        await assert.rejects(aborted.commit(checksumsOf(Buffer.alloc(0))));
        assert.equal(await store.head(bucket, 'dropped'), undefined);
      });
    });

    it('fails a commit whose declared size differs from the bytes received, storing nothing', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const pending = await store.beginPut(newMeta('short'));
        pending.sink.end(Buffer.from('ten bytes!'));
        await once(pending.sink, 'finish');
        await assertOssError(
          pending.commit({ ...checksumsOf(Buffer.from('ten bytes!')), size: 11 }),
          'InternalError',
          500,
        );
        await pending.abort();
        assert.equal(await store.head(bucket, 'short'), undefined);
        assert.deepEqual(await filesOf(dataDir), before);
      });
    });

    it('fails a commit before the body was ended, storing nothing', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const pending = await store.beginPut(newMeta('unended'));
        pending.sink.write(Buffer.from('partial'));
        await assert.rejects(pending.commit(checksumsOf(Buffer.from('partial'))));
        await pending.abort();
        assert.equal(await store.head(bucket, 'unended'), undefined);
        assert.deepEqual(await filesOf(dataDir), before);
      });
    });

    it('surfaces a sink error at commit and stores nothing', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const pending = await store.beginPut(newMeta('broken'));
        pending.sink.write(Buffer.from('some'));
        pending.sink.destroy(new Error('upstream reset'));
        await assert.rejects(pending.commit(checksumsOf(Buffer.from('some'))), /upstream reset/);
        await pending.abort();
        assert.equal(await store.head(bucket, 'broken'), undefined);
        assert.deepEqual(await filesOf(dataDir), before);
      });
    });

    it('applies backpressure: write() returns false under a burst and drain follows', async () => {
      await withStore(makeStore, async (store) => {
        const pending = await store.beginPut(newMeta('burst'));
        const chunk = Buffer.alloc(64 * 1024, 7);
        const accepted: boolean[] = [];
        for (let i = 0; i < 64; i += 1) accepted.push(pending.sink.write(chunk));
        assert.ok(accepted.includes(false), 'a sink that always accepts more buffers unboundedly');
        await once(pending.sink, 'drain');
        pending.sink.end();
        await once(pending.sink, 'finish');
        const { meta } = await pending.commit({ ...checksumsOf(Buffer.alloc(64 * chunk.length, 7)) });
        assert.equal(meta.size, 64 * chunk.length);
        assert.deepEqual(await readObject(store, 'burst'), Buffer.alloc(64 * chunk.length, 7));
      });
    });

    it('refuses beginPut on a missing bucket with NoSuchBucket', async () => {
      await withStore(makeStore, async (store) => {
        await assertOssError(store.beginPut(newMeta('k', { bucket: 'no-such-bucket' })), 'NoSuchBucket', 404);
      });
    });

    it('refuses keys it cannot keep faithfully: empty, lone surrogate, over 1023 bytes', async () => {
      await withStore(makeStore, async (store) => {
        await assertOssError(store.beginPut(newMeta('')), 'InvalidObjectName', 400);
        await assertOssError(store.beginPut(newMeta('a\uD800b')), 'InvalidObjectName', 400);
        await assertOssError(store.beginPut(newMeta('k'.repeat(1024))), 'KeyTooLong', 400);
        await assertOssError(store.beginPut(newMeta('€'.repeat(341) + 'k')), 'KeyTooLong', 400);
      });
    });
  });
}
