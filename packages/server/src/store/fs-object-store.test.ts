import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from './fs-object-store.js';
import { runMultipartStoreContract } from './multipart-store.contract.js';
import { runObjectStoreContract, type ContractStoreOptions } from './object-store.contract.js';
import { checksumsOf, newMeta, putObject, walkFiles } from './contract/contract-fixtures.js';

/** A fresh directory per store; dataDir is its child so the contract can walk the parent. */
async function makeFsStore(options: ContractStoreOptions = {}) {
  const root = await mkdtemp(join(tmpdir(), 'upcall-fs-store-'));
  const dataDir = join(root, 'data');
  const store = await FsObjectStore.open({ dataDir, ...options });
  return { store, dataDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

runObjectStoreContract('FsObjectStore', makeFsStore);
runMultipartStoreContract('FsObjectStore', makeFsStore);

describe('FsObjectStore layout', () => {
  it('keeps an index and one blob file per live object, named by random id, after overwrites and deletes', async () => {
    const { store, dataDir, cleanup } = await makeFsStore();
    try {
      await store.createBucket('layout');
      for (let i = 0; i < 5; i += 1)
        await putObject(store, newMeta('same', { bucket: 'layout' }), Buffer.from(`v${i}`));
      await putObject(store, newMeta('other', { bucket: 'layout' }), Buffer.from('o'));
      await putObject(store, newMeta('gone', { bucket: 'layout' }), Buffer.from('g'));
      await store.delete('layout', 'gone');
      const files = await walkFiles(dataDir);
      const blobs = files.filter((f) => f.startsWith('blobs/'));
      assert.equal(blobs.length, 2);
      for (const blob of blobs) assert.match(blob, /^blobs\/([0-9a-f]{2})\/\1[0-9a-f]{30}$/);
      assert.deepEqual(
        files.filter((f) => !f.startsWith('blobs/')),
        ['index.sqlite', 'index.sqlite-wal'],
      );
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('uses the injected clock and blob ids', async () => {
    const root = await mkdtemp(join(tmpdir(), 'upcall-fs-store-'));
    const ids = ['ab' + '0'.repeat(30), 'cd' + '1'.repeat(30)];
    const store = await FsObjectStore.open({
      dataDir: join(root, 'data'),
      now: () => 1_700_000_000_000,
      newBlobId: () => ids.shift()!,
    });
    try {
      assert.equal((await store.createBucket('clocked')).createdMs, 1_700_000_000_000);
      const { meta } = await putObject(store, newMeta('k', { bucket: 'clocked' }), Buffer.from('k'));
      assert.deepEqual(meta, {
        ...newMeta('k', { bucket: 'clocked' }),
        ...checksumsOf(Buffer.from('k')),
        lastModifiedMs: 1_700_000_000_000,
      });
      assert.deepEqual(await walkFiles(join(root, 'data', 'blobs')), ['ab/ab' + '0'.repeat(30)]);
    } finally {
      await store.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
