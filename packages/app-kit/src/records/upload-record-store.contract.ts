// The behaviour every UploadRecordStore must show (docs/adr/0006), run against each real database by
// sqlite-upload-record-store.test.ts and postgres-upload-record-store.test.ts. Not a test file itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isUploadRecordStoreError } from './upload-record-store-error.js';
import type { UploadRecord, UploadRecordStore } from './upload-record-store.js';
import {
  sampleConfirm,
  sampleNewRecord,
  sampleT0Ms as t0,
  type ContractTest,
} from './upload-record-samples.js';
import { defineListTests, defineReconcileTests } from './upload-record-lifecycle.contract.js';

export interface UploadRecordStoreFixture {
  readonly store: UploadRecordStore;
  cleanup(): Promise<void>;
}

export function runUploadRecordStoreContract(
  name: string,
  makeStore: () => Promise<UploadRecordStoreFixture>,
  /** A reason marks every contract test as skipped (counted and shown in the report), never passed. */
  options: { readonly skip?: string | false } = {},
): void {
  const skip = options.skip ?? false;
  const test = (title: string, fn: (store: UploadRecordStore) => Promise<void>): void => {
    it(title, { skip }, async () => {
      const fixture = await makeStore();
      try {
        await fn(fixture.store);
      } finally {
        await fixture.cleanup();
      }
    });
  };

  describe(`${name} (UploadRecordStore contract)`, () => {
    describe('insertPending and get', () => defineInsertTests(test));
    describe('confirm', () => defineConfirmTests(test));
    describe('markStoredUnconfirmed and expirePending', () => defineReconcileTests(test));
    describe('list', () => defineListTests(test));
  });
}

function defineInsertTests(test: ContractTest): void {
  test('stores a pending record that get returns field for field', async (store) => {
    const inserted = await store.insertPending(sampleNewRecord());
    const expected: UploadRecord = {
      ...sampleNewRecord(),
      appData: '{"album":"x"}',
      status: 'pending',
      objectKey: null,
      size: null,
      etag: null,
      mimeType: null,
      confirmedAtMs: null,
      replyJson: null,
    };
    assert.deepEqual(inserted, expected);
    assert.deepEqual(await store.get('up-1'), expected);
    assert.equal(await store.get('up-2'), undefined);
  });

  test('rejects a duplicate id as duplicate-id and keeps the first record', async (store) => {
    await store.insertPending(sampleNewRecord());
    await assert.rejects(
      store.insertPending(sampleNewRecord({ userId: 'intruder', key: 'users/intruder/x' })),
      (error: unknown) => isUploadRecordStoreError(error) && error.code === 'duplicate-id',
    );
    assert.equal((await store.get('up-1'))?.userId, 'user-1');
    assert.equal((await store.list()).length, 1);
  });
}

function defineConfirmTests(test: ContractTest): void {
  test('confirms a pending record with the object key, size, etag, MIME type, reply and time', async (store) => {
    await store.insertPending(sampleNewRecord());
    const outcome = await store.confirm(sampleConfirm({ etag: '"D41D8CD98F00B204E9800998ECF8427E"' }));
    assert.equal(outcome.kind, 'confirmed');
    const expected = {
      ...(await store.get('up-1'))!,
      status: 'confirmed',
      objectKey: 'users/user-1/avatar.png',
      size: 1234,
      etag: 'D41D8CD98F00B204E9800998ECF8427E',
      mimeType: 'image/png',
      confirmedAtMs: t0 + 5_000,
      replyJson: '{"ok":true,"n":1}',
    };
    assert.deepEqual(outcome.kind === 'confirmed' && outcome.record, expected);
    assert.deepEqual(await store.get('up-1'), expected);
  });

  test('answers the same callback again as replayed with the first reply and changes nothing', async (store) => {
    await store.insertPending(sampleNewRecord());
    await store.confirm(sampleConfirm());
    const first = await store.get('up-1');
    const again = sampleConfirm({
      size: 1,
      mimeType: 'text/plain',
      confirmedAtMs: t0 + 9_000,
      replyJson: '{"n":2}',
    });
    const outcome = await store.confirm(again);
    assert.equal(outcome.kind, 'replayed');
    assert.equal(outcome.kind === 'replayed' && outcome.record.replyJson, '{"ok":true,"n":1}');
    assert.deepEqual(await store.get('up-1'), first);
  });

  test('answers a different etag or object after confirmation as conflict and changes nothing', async (store) => {
    await store.insertPending(sampleNewRecord({ key: 'users/user-1/', keyIsPrefix: true }));
    await store.confirm(sampleConfirm());
    const first = await store.get('up-1');
    const otherEtag = await store.confirm(sampleConfirm({ etag: '0CC175B9C0F1B6A831C399E269772661' }));
    const otherKey = await store.confirm(sampleConfirm({ key: 'users/user-1/other.png' }));
    assert.equal(otherEtag.kind, 'conflict');
    assert.equal(otherKey.kind, 'conflict');
    assert.deepEqual(otherEtag.kind === 'conflict' && otherEtag.record, first);
    assert.deepEqual(await store.get('up-1'), first);
  });

  test('answers an id it never issued as unknown-upload', async (store) => {
    await store.insertPending(sampleNewRecord());
    assert.deepEqual(await store.confirm(sampleConfirm({ id: 'up-404' })), { kind: 'unknown-upload' });
    assert.equal((await store.list()).length, 1);
  });

  test('answers a key outside the exact key or the prefix as key-mismatch without changes', async (store) => {
    const exact = await store.insertPending(sampleNewRecord());
    const prefix = await store.insertPending(
      sampleNewRecord({ id: 'up-2', key: 'users/user-1/', keyIsPrefix: true }),
    );
    const cases: Array<[string, string]> = [
      ['up-1', 'users/user-1/avatar.png.exe'],
      ['up-1', 'users/user-1/AVATAR.png'],
      ['up-2', 'users/user-2/a.png'],
      ['up-2', 'users/user-1'],
    ];
    for (const [id, key] of cases) {
      const outcome = await store.confirm(sampleConfirm({ id, key }));
      assert.equal(outcome.kind, 'key-mismatch', `${id} ${key}`);
    }
    assert.deepEqual(await store.get('up-1'), exact);
    assert.deepEqual(await store.get('up-2'), prefix);
    const inside = await store.confirm(sampleConfirm({ id: 'up-2', key: 'users/user-1/sub/b.png' }));
    assert.equal(inside.kind, 'confirmed');
  });

  test('lets exactly one of 100 concurrent identical callbacks confirm; the rest replay its reply', async (store) => {
    await store.insertPending(sampleNewRecord());
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.confirm(sampleConfirm({ replyJson: `{"attempt":${i}}` }))),
    );
    const winners = outcomes.filter((o) => o.kind === 'confirmed');
    assert.equal(winners.length, 1);
    assert.equal(outcomes.filter((o) => o.kind === 'replayed').length, 99);
    const reply = (await store.get('up-1'))?.replyJson;
    assert.equal(winners[0]?.kind === 'confirmed' && winners[0].record.replyJson, reply);
    for (const o of outcomes) assert.equal(o.kind !== 'unknown-upload' && o.record.replyJson, reply);
    assert.equal((await store.list()).length, 1);
  });

  test('confirms an expired record when its callback arrives late', async (store) => {
    await store.insertPending(sampleNewRecord());
    assert.equal(await store.expirePending(t0 + 700_000), 1);
    const outcome = await store.confirm(sampleConfirm({ confirmedAtMs: t0 + 710_000 }));
    assert.equal(outcome.kind, 'confirmed');
    assert.equal((await store.get('up-1'))?.status, 'confirmed');
  });

  test('rejects an invalid size with a TypeError and leaves the record pending', async (store) => {
    await store.insertPending(sampleNewRecord());
    await assert.rejects(store.confirm(sampleConfirm({ size: -1 })), TypeError);
    assert.equal((await store.get('up-1'))?.status, 'pending');
  });
}
