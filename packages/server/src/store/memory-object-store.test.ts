import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryObjectStore } from './memory-object-store.js';
import { runMultipartStoreContract } from './multipart-store.contract.js';
import { runObjectStoreContract, type ContractStoreFactory } from './object-store.contract.js';
import { checksumsOf, newMeta, putObject } from './contract/contract-fixtures.js';

const makeMemoryStore: ContractStoreFactory = (options = {}) =>
  Promise.resolve({ store: new MemoryObjectStore(options), cleanup: () => Promise.resolve() });

runObjectStoreContract('MemoryObjectStore', makeMemoryStore);
runMultipartStoreContract('MemoryObjectStore', makeMemoryStore);

describe('MemoryObjectStore', () => {
  it('stamps objects and buckets with the injected clock', async () => {
    const store = new MemoryObjectStore({ now: () => 1_700_000_000_123 });
    const info = await store.createBucket('clocked');
    assert.equal(info.createdMs, 1_700_000_000_123);
    const { meta } = await putObject(store, newMeta('k', { bucket: 'clocked' }), Buffer.from('k'));
    assert.equal(meta.lastModifiedMs, 1_700_000_000_123);
    assert.deepEqual(meta, {
      ...newMeta('k', { bucket: 'clocked' }),
      ...checksumsOf(Buffer.from('k')),
      lastModifiedMs: 1_700_000_000_123,
    });
  });

  it('keeps its own copy of written chunks when the producer reuses its buffer', async () => {
    const store = new MemoryObjectStore();
    await store.createBucket('reuse');
    const pending = await store.beginPut(newMeta('k', { bucket: 'reuse' }));
    const buffer = Buffer.from('first');
    pending.sink.write(buffer);
    buffer.write('XXXXX');
    pending.sink.end();
    await new Promise((resolve) => pending.sink.once('finish', resolve));
    await pending.commit(checksumsOf(Buffer.from('first')));
    const read = await store.read('reuse', 'k');
    const chunks: Buffer[] = [];
    for await (const chunk of read!.body) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'first');
  });
});

describe('MemoryObjectStore multipart', () => {
  it('stamps uploads and parts with the injected clock and upload ids', async () => {
    const store = new MemoryObjectStore({ now: () => 1_700_000_000_456, newUploadId: () => 'B'.repeat(32) });
    await store.createBucket('clocked');
    const upload = await store.multipart.initiate(newMeta('k', { bucket: 'clocked' }));
    assert.equal(upload.uploadId, 'B'.repeat(32));
    assert.equal(upload.initiatedMs, 1_700_000_000_456);
    const pending = await store.multipart.beginPart('clocked', 'k', upload.uploadId, 1);
    pending.sink.end(Buffer.from('p'));
    await new Promise((resolve) => pending.sink.once('finish', resolve));
    assert.equal((await pending.commit(checksumsOf(Buffer.from('p')))).lastModifiedMs, 1_700_000_000_456);
  });
});
