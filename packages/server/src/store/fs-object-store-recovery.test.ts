// FsObjectStore after crashes and damage (threats §B13, §C7 items 60–61): the start-up sweep, index rows
// whose blob is gone, restarts, and the single-owner lock that makes the sweep safe.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { FsObjectStore } from './fs-object-store.js';
import { assertOssError, newMeta, putObject, readBody, walkFiles } from './contract/contract-fixtures.js';

const bucket = 'recovery';

async function withDataDir(test: (dataDir: string, root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'upcall-fs-recovery-'));
  try {
    await test(join(root, 'data'), root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Opens, runs `work`, closes — one server lifetime. */
async function lifetime<T>(
  dataDir: string,
  work: (store: FsObjectStore) => Promise<T>,
  newBlobId?: () => string,
): Promise<T> {
  const store = await FsObjectStore.open({ dataDir, newBlobId });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function blobFiles(dataDir: string): Promise<string[]> {
  return (await walkFiles(join(dataDir, 'blobs'))).map((path) => join(dataDir, 'blobs', path));
}

describe('FsObjectStore recovery', () => {
  it('keeps committed objects across a restart', async () => {
    await withDataDir(async (dataDir) => {
      const { meta } = await lifetime(dataDir, async (store) => {
        await store.createBucket(bucket);
        return putObject(store, newMeta('kept', { bucket, userMeta: { a: '1' } }), Buffer.from('durable'));
      });
      await lifetime(dataDir, async (store) => {
        assert.deepEqual(store.sweepReport, {
          tempFilesRemoved: 0,
          orphanBlobsRemoved: 0,
          lostObjects: [],
          orphanPartsRemoved: 0,
          lostParts: [],
          unexpectedEntries: [],
        });
        assert.deepEqual(await store.head(bucket, 'kept'), meta);
        const read = await store.read(bucket, 'kept');
        assert.deepEqual(await readBody(read!.body), Buffer.from('durable'));
      });
    });
  });

  it('sweeps planted debris at open: temp files, unindexed blobs, stray files and symlinks', async () => {
    await withDataDir(async (dataDir, root) => {
      await lifetime(dataDir, async (store) => {
        await store.createBucket(bucket);
        await putObject(store, newMeta('live', { bucket }), Buffer.from('live bytes'));
      });
      const [liveBlob] = await blobFiles(dataDir);
      const outside = join(root, 'outside');
      await mkdir(outside);
      await writeFile(join(outside, 'precious'), 'not the store’s');
      // A crash before rename (temp file), between rename and index transaction or after the
      // transaction but before unlinking a replaced blob (unindexed blob), plus hostile leftovers.
      await writeFile(join(dataDir, 'tmp', 'a'.repeat(32)), 'half an upload');
      await mkdir(join(dataDir, 'tmp', 'nested'));
      await writeFile(join(dataDir, 'tmp', 'nested', 'x'), 'x');
      await mkdir(join(dataDir, 'blobs', 'ab'), { recursive: true });
      await writeFile(join(dataDir, 'blobs', 'ab', 'ab' + '9'.repeat(30)), 'renamed, never indexed');
      await writeFile(join(dataDir, 'blobs', 'stray'), 'stray');
      // A shard-named symlink, in a shard the live blob (random id) does not use.
      const linkShard = basename(dirname(liveBlob!)) === 'cd' ? 'ce' : 'cd';
      await symlink(outside, join(dataDir, 'blobs', linkShard));
      await mkdir(join(dataDir, 'blobs', 'foreign-dir'));
      await lifetime(dataDir, async (store) => {
        assert.deepEqual(store.sweepReport, {
          tempFilesRemoved: 2,
          orphanBlobsRemoved: 3,
          lostObjects: [],
          orphanPartsRemoved: 0,
          lostParts: [],
          unexpectedEntries: [join(dataDir, 'blobs', 'foreign-dir')],
        });
        assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
        assert.deepEqual(await blobFiles(dataDir), [liveBlob]);
        const read = await store.read(bucket, 'live');
        assert.deepEqual(await readBody(read!.body), Buffer.from('live bytes'));
      });
      assert.deepEqual(await readdir(outside), ['precious'], 'the sweep must not follow a symlink');
    });
  });

  it('drops an index entry whose blob is missing at open and reports it as lost', async () => {
    await withDataDir(async (dataDir) => {
      const ids = ['aa' + '0'.repeat(30), 'bb' + '0'.repeat(30)];
      await lifetime(
        dataDir,
        async (store) => {
          await store.createBucket(bucket);
          await putObject(store, newMeta('lost', { bucket }), Buffer.from('gone'));
          await putObject(store, newMeta('fine', { bucket }), Buffer.from('fine'));
        },
        () => ids.shift()!,
      );
      await unlink(join(dataDir, 'blobs', 'aa', 'aa' + '0'.repeat(30)));
      await lifetime(dataDir, async (store) => {
        assert.deepEqual(store.sweepReport.lostObjects, [{ bucket, key: 'lost' }]);
        assert.equal(await store.head(bucket, 'lost'), undefined);
        assert.equal(await store.read(bucket, 'lost'), undefined);
        assert.deepEqual(
          (await store.list(bucket, { maxKeys: 10 })).objects.map((o) => o.key),
          ['fine'],
        );
        const fine = await store.read(bucket, 'fine');
        assert.deepEqual(await readBody(fine!.body), Buffer.from('fine'));
      });
    });
  });

  it('answers a read whose blob vanished while running with InternalError, not a 404', async () => {
    await withDataDir(async (dataDir) => {
      await lifetime(dataDir, async (store) => {
        await store.createBucket(bucket);
        const { meta } = await putObject(store, newMeta('vanishing', { bucket }), Buffer.from('v'));
        const [blob] = await blobFiles(dataDir);
        await unlink(blob!);
        assert.deepEqual(await store.head(bucket, 'vanishing'), meta, 'head reads the index only');
        await assertOssError(store.read(bucket, 'vanishing'), 'InternalError', 500);
      });
    });
  });

  it('lets a reader finish the old blob after a replace has unlinked it', async () => {
    await withDataDir(async (dataDir) => {
      await lifetime(dataDir, async (store) => {
        await store.createBucket(bucket);
        const old = Buffer.alloc(3 * 1024 * 1024, 'old;');
        await putObject(store, newMeta('hot', { bucket }), old);
        const [oldBlob] = await blobFiles(dataDir);
        const reader = await store.read(bucket, 'hot');
        await putObject(store, newMeta('hot', { bucket }), Buffer.from('new'));
        const after = await blobFiles(dataDir);
        assert.equal(after.length, 1);
        assert.notEqual(after[0], oldBlob, 'the replaced blob is unlinked at once');
        assert.deepEqual(await readBody(reader!.body), old);
        const current = await store.read(bucket, 'hot');
        assert.deepEqual(await readBody(current!.body), Buffer.from('new'));
      });
    });
  });

  it('refuses a second open of a data directory that is in use, and allows it after close', async () => {
    await withDataDir(async (dataDir) => {
      const first = await FsObjectStore.open({ dataDir, busyTimeoutMs: 50 });
      try {
        await assert.rejects(FsObjectStore.open({ dataDir, busyTimeoutMs: 50 }), /in use by another process/);
      } finally {
        await first.close();
      }
      await lifetime(dataDir, async (store) => assert.deepEqual(await store.listBuckets(), []));
    });
  });

  it('refuses to open a data directory whose tmp/ is a symlink', async () => {
    await withDataDir(async (dataDir, root) => {
      await mkdir(dataDir, { recursive: true });
      await mkdir(join(root, 'elsewhere'));
      await symlink(join(root, 'elsewhere'), join(dataDir, 'tmp'));
      await assert.rejects(FsObjectStore.open({ dataDir }), /not a plain directory/);
    });
  });
});
