import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from './fs-object-store.js';
import { runMultipartStoreContract } from './multipart-store.contract.js';
import { runObjectStoreContract, type ContractStoreOptions } from './object-store.contract.js';
import { checksumsOf, newMeta, putObject, readBody, walkFiles } from './contract/contract-fixtures.js';
import { readChunkBytes } from './fs-read-blob.js';

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

/** Descriptors this process holds open (Linux /proc). */
async function openFdCount(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

describe('FsObjectStore reads and commits', () => {
  it('serves a blob in 256 KiB reads and closes its descriptor at the end or on destroy', async () => {
    const { store, cleanup } = await makeFsStore();
    try {
      await store.createBucket('reads');
      const body = Buffer.alloc(3 * readChunkBytes + 5, 7);
      await putObject(store, newMeta('big', { bucket: 'reads' }), body);
      const before = await openFdCount();
      const whole = await store.read('reads', 'big');
      assert.ok(whole);
      assert.equal(whole.body.readableHighWaterMark, readChunkBytes);
      const chunks: Buffer[] = [];
      for await (const chunk of whole.body) chunks.push(chunk as Buffer);
      assert.deepEqual(
        chunks.map((chunk) => chunk.length),
        [readChunkBytes, readChunkBytes, readChunkBytes, 5],
      );
      assert.deepEqual(Buffer.concat(chunks), body);
      const abandoned = await store.read('reads', 'big', { start: 1, end: 10 });
      assert.ok(abandoned);
      abandoned.body.destroy();
      await new Promise((resolve) => abandoned.body.once('close', resolve));
      assert.equal(await openFdCount(), before, 'no descriptor left open');
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('commits concurrent uploads durably, each readable, with the losers of forbidOverwrite refused', async () => {
    const { store, dataDir, cleanup } = await makeFsStore();
    try {
      await store.createBucket('group');
      const bodies = Array.from({ length: 24 }, (_, i) => Buffer.from(`body ${i}`));
      const uploads = bodies.map((body, i) =>
        putObject(store, newMeta(`k${i % 12}`, { bucket: 'group' }), body, { forbidOverwrite: true }),
      );
      const outcomes = await Promise.allSettled(uploads);
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      assert.equal(won.length, 12, 'one winner per key');
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          assert.equal((outcome.reason as { code?: string }).code, 'FileAlreadyExists');
      }
      for (let i = 0; i < 12; i += 1) {
        const read = await store.read('group', `k${i}`);
        assert.ok(read);
        const stored = await readBody(read.body);
        assert.ok(
          stored.equals(bodies[i]!) || stored.equals(bodies[i + 12]!),
          `k${i} holds one whole upload`,
        );
        assert.equal(read.meta.etag, checksumsOf(stored).etag);
      }
      const blobs = (await walkFiles(dataDir)).filter((file) => file.startsWith('blobs/'));
      assert.equal(blobs.length, 12, 'no file of a refused upload remains');
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
