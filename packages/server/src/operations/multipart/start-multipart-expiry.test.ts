import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { newMeta } from '../../store/contract/contract-fixtures.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import type { MultipartStore } from '../../store/multipart-store.js';
import type { NewObjectMeta } from '../../store/object-store.js';
import { defaultMultipartMaxAgeMs, startMultipartExpiry } from './start-multipart-expiry.js';

const day = 24 * 60 * 60 * 1000;

const meta = (key: string): NewObjectMeta => newMeta(key, { bucket: 'uploads' });

async function openStore(clock: { ms: number }): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore({ now: () => clock.ms });
  await store.createBucket('uploads');
  return store;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await delay(5);
  }
}

describe('startMultipartExpiry', () => {
  it('aborts uploads older than maxAgeMs at start and keeps younger ones', async () => {
    const clock = { ms: 0 };
    const store = await openStore(clock);
    const old = await store.multipart.initiate(meta('old.bin'));
    clock.ms = 5 * day;
    const young = await store.multipart.initiate(meta('young.bin'));
    clock.ms = 8 * day;
    const stop = startMultipartExpiry(store, {
      maxAgeMs: defaultMultipartMaxAgeMs,
      intervalMs: day,
      now: () => clock.ms,
    });
    await stop(); // waits for the start-up sweep
    assert.equal(await store.multipart.getUpload('uploads', 'old.bin', old.uploadId), undefined);
    assert.ok(await store.multipart.getUpload('uploads', 'young.bin', young.uploadId));
  });

  it('sweeps again every intervalMs until stopped', async () => {
    const clock = { ms: 0 };
    const store = await openStore(clock);
    const upload = await store.multipart.initiate(meta('later.bin'));
    const stop = startMultipartExpiry(store, { maxAgeMs: day, intervalMs: 10, now: () => clock.ms });
    await delay(30);
    assert.ok(await store.multipart.getUpload('uploads', 'later.bin', upload.uploadId), 'still young');
    clock.ms = 2 * day;
    await waitFor(
      async () => (await store.multipart.getUpload('uploads', 'later.bin', upload.uploadId)) === undefined,
    );
    await stop();
    const after = await store.multipart.initiate(meta('after-stop.bin'));
    clock.ms = 10 * day;
    await delay(40);
    assert.ok(
      await store.multipart.getUpload('uploads', 'after-stop.bin', after.uploadId),
      'no sweep after stop',
    );
  });

  it('keeps its schedule after a failing sweep', async () => {
    let calls = 0;
    const multipart = {
      expireUploads: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('disk on fire')) : Promise.resolve(0);
      },
    } as unknown as MultipartStore;
    const stop = startMultipartExpiry({ multipart }, { maxAgeMs: day, intervalMs: 5, now: () => 0 });
    await waitFor(() => Promise.resolve(calls >= 3));
    await stop();
  });

  it('refuses a non-positive age or interval', () => {
    const store = { multipart: {} as MultipartStore };
    assert.throws(
      () => startMultipartExpiry(store, { maxAgeMs: 0, intervalMs: 1, now: Date.now }),
      RangeError,
    );
    assert.throws(
      () => startMultipartExpiry(store, { maxAgeMs: 1, intervalMs: Number.NaN, now: Date.now }),
      RangeError,
    );
  });
});
