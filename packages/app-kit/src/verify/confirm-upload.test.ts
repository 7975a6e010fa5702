import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteUploadRecordStore } from '../records/sqlite-upload-record-store.js';
import type { NewUploadRecord, UploadRecordStore } from '../records/upload-record-store.js';
import { CallbackVerificationError, type CallbackVerificationReason } from './callback-verification-error.js';
import { confirmUpload } from './confirm-upload.js';
import type { VerifiedCallback } from './verified-callback.js';

const t0 = 1_800_000_000_000;

const pending: NewUploadRecord = {
  id: 'u1',
  userId: 'alice',
  bucket: 'examplebucket',
  key: 'uploads/alice/a.png',
  keyIsPrefix: false,
  createdAtMs: t0,
  expiresAtMs: t0 + 300_000,
};

function callback(overrides: Partial<VerifiedCallback> = {}): VerifiedCallback {
  return {
    bucket: 'examplebucket',
    object: 'uploads/alice/a.png',
    etag: 'E1',
    size: 5,
    mimeType: 'image/png',
    uploadId: 'u1',
    vars: {},
    raw: {},
    bodyType: 'application/x-www-form-urlencoded',
    keyUrl: 'http://127.0.0.1:9000/k.pem',
    ...overrides,
  };
}

async function withStore(fn: (store: UploadRecordStore) => Promise<void>, record = pending): Promise<void> {
  const store = new SqliteUploadRecordStore({ path: ':memory:' });
  try {
    await store.insertPending(record);
    await fn(store);
  } finally {
    await store.close();
  }
}

async function reasonOf(promise: Promise<unknown>): Promise<CallbackVerificationReason> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CallbackVerificationError);
  return error.reason;
}

describe('confirmUpload', () => {
  it('confirms a pending upload once and stores the application reply', () =>
    withStore(async (store) => {
      let calls = 0;
      const result = await confirmUpload(callback(), store, {
        now: () => t0 + 1000,
        buildReply: (record, cb) => ({ ok: true, n: ++calls, id: record.id, size: cb.size }),
      });
      assert.equal(result.outcome, 'confirmed');
      assert.equal(result.replyJson, '{"ok":true,"n":1,"id":"u1","size":5}');
      const stored = await store.get('u1');
      assert.equal(stored?.status, 'confirmed');
      assert.equal(stored?.etag, 'E1');
      assert.equal(stored?.replyJson, result.replyJson);
    }));

  it('answers a replayed genuine callback with the stored reply and changes nothing', () =>
    withStore(async (store) => {
      let calls = 0;
      const options = { now: () => t0 + 1000, buildReply: () => ({ n: ++calls }) };
      await confirmUpload(callback(), store, options);
      const before = await store.get('u1');
      const replays = await Promise.all(
        Array.from({ length: 20 }, () => confirmUpload(callback(), store, options)),
      );
      for (const replay of replays) {
        assert.equal(replay.outcome, 'replayed');
        assert.equal(replay.replyJson, '{"n":1}');
      }
      assert.equal(calls, 1);
      assert.deepEqual(await store.get('u1'), before);
      assert.equal((await store.list()).length, 1);
    }));

  it('refuses a second, different use of a one-time upload id', () =>
    withStore(async (store) => {
      await confirmUpload(callback(), store, { now: () => t0 });
      assert.equal(
        await reasonOf(confirmUpload(callback({ etag: 'E2' }), store, { now: () => t0 })),
        'replayed',
      );
      assert.equal((await store.get('u1'))?.etag, 'E1');
    }));

  it('refuses unknown ids and callbacks naming another object or bucket', () =>
    withStore(async (store) => {
      assert.equal(await reasonOf(confirmUpload(callback({ uploadId: 'nope' }), store)), 'unknown-upload');
      assert.equal(
        await reasonOf(confirmUpload(callback({ object: 'uploads/bob/a.png' }), store)),
        'key-mismatch',
      );
      assert.equal(await reasonOf(confirmUpload(callback({ bucket: 'other' }), store)), 'key-mismatch');
      assert.equal((await store.get('u1'))?.status, 'pending');
    }));

  it('accepts any object under the prefix of a prefix ticket', () =>
    withStore(
      async (store) => {
        const result = await confirmUpload(callback({ object: 'uploads/alice/chosen.png' }), store, {
          now: () => t0,
        });
        assert.equal(result.record.objectKey, 'uploads/alice/chosen.png');
        assert.equal(
          await reasonOf(confirmUpload(callback({ uploadId: 'u1', object: 'uploads/alicex' }), store)),
          'key-mismatch',
        );
      },
      { ...pending, key: 'uploads/alice/', keyIsPrefix: true },
    ));

  it('accepts late callbacks by default and refuses them only when the application opts in', async () => {
    const late = () => t0 + 300_000 + 60_001;
    await withStore(async (store) => {
      assert.equal((await confirmUpload(callback(), store, { now: late })).outcome, 'confirmed');
    });
    await withStore(async (store) => {
      assert.equal(
        await reasonOf(confirmUpload(callback(), store, { now: late, rejectLateCallbacks: true })),
        'expired-ticket',
      );
      const withinGrace = await confirmUpload(callback(), store, {
        now: () => t0 + 300_000 + 59_000,
        rejectLateCallbacks: true,
      });
      assert.equal(withinGrace.outcome, 'confirmed');
    });
  });

  it('refuses replies that are not JSON-serialisable or larger than 1 MB, without confirming', () =>
    withStore(async (store) => {
      await assert.rejects(confirmUpload(callback(), store, { buildReply: () => undefined }), TypeError);
      await assert.rejects(
        confirmUpload(callback(), store, { buildReply: () => 'x'.repeat(1024 * 1024) }),
        RangeError,
      );
      assert.equal((await store.get('u1'))?.status, 'pending');
    }));
});
