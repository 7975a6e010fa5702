// Contract: CompleteMultipartUpload — exactly the chosen parts, in order, become the object atomically;
// the upload and every part (chosen or not) are gone afterwards; forbid-overwrite keeps the upload; the
// store re-checks ETags and order at assembly; a repeated Complete is NoSuchUpload (threats §C5 item 49).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PartInfo } from '../multipart-store.js';
import {
  assertOssError,
  bucket,
  filesOf,
  newMeta,
  putObject,
  readBody,
  readObject,
  withStore,
  type ContractStoreFactory,
} from './contract-fixtures.js';
import { chosen, complete, initiate, patterned, resultFor, uploadPart } from './multipart-fixtures.js';

const MiB = 1024 * 1024;

export function runMultipartCompleteContract(makeStore: ContractStoreFactory): void {
  describe('completing multipart uploads', () => {
    it('assembles exactly the chosen parts in order and removes the upload and every part', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const upload = await store.multipart.initiate(
          newMeta('joined', { contentType: 'text/csv', userMeta: { batch: '7' }, acl: 'private' }),
        );
        const bodies = new Map([1, 2, 3, 4].map((n) => [n, patterned(100 * 1024 + n, n)]));
        const parts = new Map<number, PartInfo>();
        for (const n of [4, 2, 3, 1]) parts.set(n, await uploadPart(store, upload, n, bodies.get(n)!));
        const list = chosen(parts.get(1)!, parts.get(2)!, parts.get(4)!); // part 3 is left out
        const meta = await complete(store, upload, list);
        const expected = Buffer.concat([bodies.get(1)!, bodies.get(2)!, bodies.get(4)!]);
        assert.deepEqual(meta, {
          ...upload.meta,
          size: expected.length,
          ...resultFor(list),
          contentMd5: '',
          lastModifiedMs: meta.lastModifiedMs,
        });
        assert.deepEqual(await store.head(bucket, 'joined'), meta);
        assert.ok((await readObject(store, 'joined'))!.equals(expected));
        assert.deepEqual((await store.list(bucket, { maxKeys: 10 })).objects, [meta]);
        assert.equal(await store.multipart.getUpload(bucket, 'joined', upload.uploadId), undefined);
        assert.deepEqual((await store.multipart.listUploads(bucket, { maxUploads: 10 })).uploads, []);
        const added = (await filesOf(dataDir)).filter((file) => !before.includes(file));
        assert.equal(added.length, dataDir === undefined ? 0 : 1, `unexpected files: ${added.join(', ')}`);
      });
    });

    it('streams a 12 MiB object of three parts back byte for byte, ranges across part boundaries too', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'big');
        const bodies = [patterned(5 * MiB, 1), patterned(5 * MiB, 2), patterned(2 * MiB + 7, 3)];
        const parts: PartInfo[] = [];
        for (const [i, body] of bodies.entries()) parts.push(await uploadPart(store, upload, i + 1, body));
        const meta = await complete(store, upload, chosen(...parts));
        const whole = Buffer.concat(bodies);
        assert.equal(meta.size, 12 * MiB + 7);
        assert.ok((await readObject(store, 'big'))!.equals(whole));
        const range = { start: 5 * MiB - 3, end: 10 * MiB + 2 };
        const read = await store.read(bucket, 'big', range);
        assert.ok((await readBody(read!.body)).equals(whole.subarray(range.start, range.end + 1)));
      });
    });

    it('completes an upload whose only part is empty as a 0-byte object', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'empty');
        const part = await uploadPart(store, upload, 1, Buffer.alloc(0));
        assert.equal((await complete(store, upload, chosen(part))).size, 0);
        assert.deepEqual(await readObject(store, 'empty'), Buffer.alloc(0));
      });
    });

    it('replaces an existing object, its metadata and its bytes', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        await putObject(store, newMeta('swap', { userMeta: { v: 'put' } }), Buffer.from('old'));
        const filesWithOld = await filesOf(dataDir);
        const upload = await store.multipart.initiate(newMeta('swap', { userMeta: { v: 'multipart' } }));
        const part = await uploadPart(store, upload, 1, Buffer.from('new bytes'));
        const meta = await complete(store, upload, chosen(part));
        assert.deepEqual(meta.userMeta, { v: 'multipart' });
        assert.deepEqual(await readObject(store, 'swap'), Buffer.from('new bytes'));
        assert.equal((await filesOf(dataDir)).length, filesWithOld.length, 'the replaced blob is left');
      });
    });

    it('refuses forbidOverwrite on an existing key with FileAlreadyExists and keeps the upload resumable', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const { meta: old } = await putObject(store, newMeta('taken'), Buffer.from('first'));
        const upload = await initiate(store, 'taken');
        const part = await uploadPart(store, upload, 1, Buffer.from('second'));
        const filesBefore = await filesOf(dataDir);
        await assertOssError(
          complete(store, upload, chosen(part), { forbidOverwrite: true }),
          'FileAlreadyExists',
          409,
        );
        assert.deepEqual(await store.head(bucket, 'taken'), old);
        assert.deepEqual(await readObject(store, 'taken'), Buffer.from('first'));
        assert.deepEqual(await filesOf(dataDir), filesBefore, 'the assembled bytes must be removed');
        const { parts } = await store.multipart.listParts(bucket, 'taken', upload.uploadId, { maxParts: 10 });
        assert.deepEqual(parts, [part]);
        await complete(store, upload, chosen(part));
        assert.deepEqual(await readObject(store, 'taken'), Buffer.from('second'));
      });
    });

    it('refuses a list naming a missing part or a stale ETag (InvalidPart) or out of order (InvalidPartOrder)', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const upload = await initiate(store, 'checked');
        const one = await uploadPart(store, upload, 1, Buffer.from('one'));
        const two = await uploadPart(store, upload, 2, Buffer.from('two'));
        const before = await filesOf(dataDir);
        const stale = { partNumber: 2, etag: one.etag };
        await assertOssError(complete(store, upload, [...chosen(one), stale]), 'InvalidPart', 400);
        await assertOssError(
          complete(store, upload, [...chosen(one), { ...stale, partNumber: 3 }]),
          'InvalidPart',
          400,
        );
        await assertOssError(complete(store, upload, chosen(two, one)), 'InvalidPartOrder', 400);
        await assertOssError(complete(store, upload, chosen(one, one)), 'InvalidPartOrder', 400);
        assert.deepEqual(await filesOf(dataDir), before);
        assert.equal(await store.head(bucket, 'checked'), undefined);
        const unquoted = chosen(one, two).map((p) => ({
          ...p,
          etag: p.etag.replace(/"/g, '').toLowerCase(),
        }));
        await complete(store, upload, unquoted);
        assert.deepEqual(await readObject(store, 'checked'), Buffer.from('onetwo'));
      });
    });

    it('answers NoSuchUpload to a repeated Complete and keeps the object', async () => {
      await withStore(makeStore, async (store) => {
        const upload = await initiate(store, 'twice');
        const part = await uploadPart(store, upload, 1, Buffer.from('once'));
        const meta = await complete(store, upload, chosen(part));
        await assertOssError(complete(store, upload, chosen(part)), 'NoSuchUpload', 404);
        assert.deepEqual(await store.head(bucket, 'twice'), meta);
      });
    });

    it('lets exactly one of several concurrent Completes win, the others get NoSuchUpload, no debris', async () => {
      await withStore(makeStore, async (store, dataDir) => {
        const before = await filesOf(dataDir);
        const upload = await initiate(store, 'race');
        const parts: PartInfo[] = [];
        for (const n of [1, 2, 3]) parts.push(await uploadPart(store, upload, n, patterned(300_000, n)));
        const results = await Promise.allSettled(
          Array.from({ length: 4 }, () => complete(store, upload, chosen(...parts))),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) {
          if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'NoSuchUpload');
        }
        const whole = Buffer.concat([1, 2, 3].map((n) => patterned(300_000, n)));
        assert.ok((await readObject(store, 'race'))!.equals(whole));
        const added = (await filesOf(dataDir)).filter((file) => !before.includes(file));
        assert.equal(added.length, dataDir === undefined ? 0 : 1, `unexpected files: ${added.join(', ')}`);
      });
    });
  });
}
