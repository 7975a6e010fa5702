import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileUploads, type ListedObject } from './reconcile-uploads.js';
import { SqliteUploadRecordStore } from './sqlite-upload-record-store.js';
import { sampleConfirm, sampleNewRecord, sampleT0Ms as t0 } from './upload-record-samples.js';

const minuteMs = 60_000;
const nowMs = t0 + 5 * minuteMs; // before the sample expiry (t0 + 10 min)

/** The injected storage boundary: objects per bucket, listed by prefix like OSS ListObjects. */
function memoryLister(objects: Record<string, ListedObject[]>) {
  const calls: Array<[string, string]> = [];
  async function* listObjects(bucket: string, prefix: string): AsyncIterable<ListedObject> {
    calls.push([bucket, prefix]);
    await Promise.resolve();
    yield* (objects[bucket] ?? []).filter((o) => o.key.startsWith(prefix));
  }
  return { listObjects, calls };
}

const object = (key: string, lastModifiedMs?: number): ListedObject => ({
  key,
  size: 10,
  etag: '"0CC175B9C0F1B6A831C399E269772661"',
  ...(lastModifiedMs === undefined ? {} : { lastModifiedMs }),
});

async function withStore(fn: (store: SqliteUploadRecordStore) => Promise<void>): Promise<void> {
  const store = new SqliteUploadRecordStore({ path: ':memory:' });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

describe('reconcileUploads', () => {
  it('marks pending records whose object exists, expires run-out ones without, and leaves the rest', async () => {
    await withStore(async (store) => {
      const add = (id: string, expiresAtMs: number) =>
        store.insertPending(sampleNewRecord({ id, key: `u/${id}.png`, expiresAtMs }));
      await add('stored-open', nowMs + minuteMs);
      await add('stored-late', nowMs - minuteMs);
      await add('missing-open', nowMs + minuteMs);
      await add('missing-late', nowMs - minuteMs);
      await add('done', nowMs - minuteMs);
      await store.confirm(sampleConfirm({ id: 'done', key: 'u/done.png' }));
      const done = await store.get('done');
      const lister = memoryLister({
        photos: [object('u/stored-open.png'), object('u/stored-late.png'), object('u/done.png')],
      });
      const summary = await reconcileUploads({ store, listObjects: lister.listObjects, nowMs });
      assert.deepEqual(summary, { checked: 4, markedStoredUnconfirmed: 2, expired: 1, ambiguous: 0 });
      const status = async (id: string) => (await store.get(id))?.status;
      assert.equal(await status('stored-open'), 'stored-unconfirmed');
      assert.equal(await status('stored-late'), 'stored-unconfirmed');
      assert.equal(await status('missing-open'), 'pending');
      assert.equal(await status('missing-late'), 'expired');
      assert.deepEqual(await store.get('done'), done);
      const marked = await store.get('stored-open');
      assert.deepEqual(
        [marked?.objectKey, marked?.size, marked?.etag],
        ['u/stored-open.png', 10, '0CC175B9C0F1B6A831C399E269772661'],
      );
      assert.ok(lister.calls.every(([bucket]) => bucket === 'photos'));
      assert.ok(
        !lister.calls.some(([, prefix]) => prefix === 'u/done.png'),
        'confirmed records are not listed',
      );
    });
  });

  it('is idempotent: a second run changes nothing', async () => {
    await withStore(async (store) => {
      await store.insertPending(sampleNewRecord({ id: 'a', key: 'u/a', expiresAtMs: nowMs + minuteMs }));
      await store.insertPending(sampleNewRecord({ id: 'b', key: 'u/b', expiresAtMs: nowMs - minuteMs }));
      const { listObjects } = memoryLister({ photos: [object('u/a')] });
      await reconcileUploads({ store, listObjects, nowMs });
      const before = await store.list();
      const again = await reconcileUploads({ store, listObjects, nowMs });
      // Only the expired record is looked at again; the stored-unconfirmed one is settled.
      assert.deepEqual(again, { checked: 1, markedStoredUnconfirmed: 0, expired: 0, ambiguous: 0 });
      assert.deepEqual(await store.list(), before);
    });
  });

  it('recovers an expired record whose object turned up, within the lookback window only', async () => {
    await withStore(async (store) => {
      await store.insertPending(
        sampleNewRecord({ id: 'recent', key: 'u/recent', createdAtMs: nowMs - 2 * minuteMs }),
      );
      await store.insertPending(
        sampleNewRecord({ id: 'old', key: 'u/old', createdAtMs: nowMs - 90 * minuteMs }),
      );
      await store.expirePending(nowMs + 700_000);
      const lister = memoryLister({ photos: [object('u/recent'), object('u/old')] });
      const summary = await reconcileUploads({
        store,
        listObjects: lister.listObjects,
        nowMs: nowMs + 700_000,
        expiredLookbackMs: 60 * minuteMs,
      });
      assert.equal(summary.markedStoredUnconfirmed, 1);
      assert.equal((await store.get('recent'))?.status, 'stored-unconfirmed');
      assert.equal((await store.get('old'))?.status, 'expired');
      assert.deepEqual(lister.calls, [['photos', 'u/recent']]);
    });
  });

  it('does not attribute an object older than the ticket (an earlier upload to the same key)', async () => {
    await withStore(async (store) => {
      await store.insertPending(sampleNewRecord({ id: 'exact', key: 'u/avatar.png' }));
      await store.insertPending(sampleNewRecord({ id: 'dir', key: 'd/', keyIsPrefix: true }));
      const old = t0 - 10 * minuteMs;
      const { listObjects } = memoryLister({ photos: [object('u/avatar.png', old), object('d/x', old)] });
      const summary = await reconcileUploads({ store, listObjects, nowMs });
      assert.equal(summary.markedStoredUnconfirmed, 0);
      assert.equal((await store.get('exact'))?.status, 'pending');
      assert.equal((await store.get('dir'))?.status, 'pending');
    });
  });

  it('takes the newest object under a prefix and skips prefixes two open tickets share', async () => {
    await withStore(async (store) => {
      await store.insertPending(sampleNewRecord({ id: 'own', key: 'own/', keyIsPrefix: true }));
      await store.insertPending(sampleNewRecord({ id: 'shared-1', key: 'shared/', keyIsPrefix: true }));
      await store.insertPending(sampleNewRecord({ id: 'shared-2', key: 'shared/', keyIsPrefix: true }));
      const { listObjects } = memoryLister({
        photos: [
          object('own/a', t0 + minuteMs),
          object('own/b', t0 + 2 * minuteMs),
          object('shared/x', t0 + minuteMs),
        ],
      });
      const summary = await reconcileUploads({ store, listObjects, nowMs });
      assert.deepEqual(summary, { checked: 3, markedStoredUnconfirmed: 1, expired: 0, ambiguous: 2 });
      assert.equal((await store.get('own'))?.objectKey, 'own/b');
      assert.equal((await store.get('shared-1'))?.status, 'pending');
    });
  });

  it('pages through more pending records than one list() page holds', async () => {
    await withStore(async (store) => {
      const objects: ListedObject[] = [];
      for (let i = 0; i < 45; i += 1) {
        await store.insertPending(sampleNewRecord({ id: `r${i}`, key: `k/${i}`, createdAtMs: t0 + (i % 7) }));
        if (i % 3 === 0) objects.push(object(`k/${i}`));
      }
      const { listObjects } = memoryLister({ photos: objects });
      const summary = await reconcileUploads({ store, listObjects, nowMs, pageSize: 10 });
      assert.deepEqual(summary, { checked: 45, markedStoredUnconfirmed: 15, expired: 0, ambiguous: 0 });
      assert.equal((await store.list({ status: 'stored-unconfirmed' })).length, 15);
    });
  });
});
