// UploadRecordStore contract, part 2: reconciliation transitions, expiry and listing. Registered by
// runUploadRecordStoreContract in upload-record-store.contract.ts; not a test file itself.
import assert from 'node:assert/strict';
import {
  sampleConfirm,
  sampleNewRecord,
  sampleT0Ms as t0,
  type ContractTest,
} from './upload-record-samples.js';

const found = { key: 'users/user-1/avatar.png', size: 99, etag: '"0CC175B9C0F1B6A831C399E269772661"' };

export function defineReconcileTests(test: ContractTest): void {
  test('marks a pending record stored-unconfirmed once, then a valid callback confirms it', async (store) => {
    await store.insertPending(sampleNewRecord());
    const marked = await store.markStoredUnconfirmed('up-1', found);
    assert.equal(marked?.status, 'stored-unconfirmed');
    assert.equal(marked?.objectKey, found.key);
    assert.equal(marked?.size, 99);
    assert.equal(marked?.etag, '0CC175B9C0F1B6A831C399E269772661');
    const again = await store.markStoredUnconfirmed('up-1', { ...found, size: 1, etag: 'FFFF' });
    assert.deepEqual(again, marked);
    assert.deepEqual(await store.get('up-1'), marked);
    const outcome = await store.confirm(sampleConfirm());
    assert.equal(outcome.kind, 'confirmed');
    assert.equal((await store.get('up-1'))?.etag, sampleConfirm().etag);
    assert.equal((await store.get('up-1'))?.replyJson, sampleConfirm().replyJson);
  });

  test('leaves a confirmed record alone when reconciliation finds its object', async (store) => {
    await store.insertPending(sampleNewRecord());
    await store.confirm(sampleConfirm());
    const confirmed = await store.get('up-1');
    assert.deepEqual(await store.markStoredUnconfirmed('up-1', found), confirmed);
    assert.deepEqual(await store.get('up-1'), confirmed);
    assert.equal(await store.markStoredUnconfirmed('up-404', found), undefined);
    assert.equal((await store.list()).length, 1);
  });

  test('moves an expired record whose object turned up to stored-unconfirmed', async (store) => {
    await store.insertPending(sampleNewRecord());
    await store.expirePending(t0 + 600_001);
    assert.equal((await store.get('up-1'))?.status, 'expired');
    assert.equal((await store.markStoredUnconfirmed('up-1', found))?.status, 'stored-unconfirmed');
  });

  test('expires only pending records whose expiry is before now', async (store) => {
    const now = t0 + 1_000_000;
    await store.insertPending(sampleNewRecord({ id: 'past', expiresAtMs: now - 1 }));
    await store.insertPending(sampleNewRecord({ id: 'exactly-now', expiresAtMs: now }));
    await store.insertPending(sampleNewRecord({ id: 'future', expiresAtMs: now + 1 }));
    await store.insertPending(sampleNewRecord({ id: 'done', expiresAtMs: now - 1 }));
    await store.confirm(sampleConfirm({ id: 'done' }));
    await store.insertPending(sampleNewRecord({ id: 'found', expiresAtMs: now - 1 }));
    await store.markStoredUnconfirmed('found', found);
    const before = await store.get('done');
    assert.equal(await store.expirePending(now), 1);
    assert.equal(await store.expirePending(now), 0);
    const status = async (id: string): Promise<string | undefined> => (await store.get(id))?.status;
    assert.equal(await status('past'), 'expired');
    assert.equal(await status('exactly-now'), 'pending');
    assert.equal(await status('future'), 'pending');
    assert.deepEqual(await store.get('done'), before);
    assert.equal(await status('found'), 'stored-unconfirmed');
  });
}

export function defineListTests(test: ContractTest): void {
  const seed = async (store: Parameters<Parameters<ContractTest>[1]>[0]): Promise<void> => {
    // Inserted out of order on purpose; b1/b2 share a timestamp to pin the id tie-break.
    const rows: Array<[string, string, number]> = [
      ['a1', 'alice', 3],
      ['b1', 'bob', 5],
      ['a2', 'alice', 1],
      ['b2', 'bob', 5],
      ['a3', 'alice', 4],
    ];
    for (const [id, userId, minute] of rows) {
      await store.insertPending(sampleNewRecord({ id, userId, createdAtMs: t0 + minute * 60_000 }));
    }
    await store.confirm(sampleConfirm({ id: 'a3' }));
  };
  const ids = (records: ReadonlyArray<{ id: string }>): string[] => records.map((r) => r.id);

  test('lists newest first, breaking equal timestamps by id descending', async (store) => {
    await seed(store);
    assert.deepEqual(ids(await store.list()), ['b2', 'b1', 'a3', 'a1', 'a2']);
  });

  test('filters by user and status, together or apart', async (store) => {
    await seed(store);
    assert.deepEqual(ids(await store.list({ userId: 'alice' })), ['a3', 'a1', 'a2']);
    assert.deepEqual(ids(await store.list({ status: 'confirmed' })), ['a3']);
    assert.deepEqual(ids(await store.list({ userId: 'alice', status: 'pending' })), ['a1', 'a2']);
    assert.deepEqual(ids(await store.list({ userId: 'carol' })), []);
  });

  test('honours limit and pages with the before cursor without gaps or repeats', async (store) => {
    await seed(store);
    const page1 = await store.list({ limit: 2 });
    assert.deepEqual(ids(page1), ['b2', 'b1']);
    const last = page1[1]!;
    const page2 = await store.list({ limit: 2, before: { createdAtMs: last.createdAtMs, id: last.id } });
    assert.deepEqual(ids(page2), ['a3', 'a1']);
    const cursor = { createdAtMs: page2[1]!.createdAtMs, id: page2[1]!.id };
    assert.deepEqual(ids(await store.list({ limit: 2, before: cursor })), ['a2']);
    await assert.rejects(store.list({ limit: 0 }), TypeError);
  });
}
