// FsObjectStore multipart uploads across crashes and restarts (threats §C7 item 60, docs/adr/0004
// "Multipart"): each crash point of a part commit or a Complete is reproduced by planting the debris it
// would leave, then reopening; plus the schema migration of data directories made before multipart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from './fs-object-store.js';
import { newMeta, readBody, walkFiles } from './contract/contract-fixtures.js';
import { chosen, complete, uploadPart } from './contract/multipart-fixtures.js';

const bucket = 'contract-bucket';
const MiB = 1024 * 1024;

async function withDataDir(test: (dataDir: string, root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'upcall-fs-multipart-'));
  try {
    await test(join(root, 'data'), root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

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

/** An upload of `key` with parts 1 and 2 (bodies `one` and `two`), left in progress. */
async function startUpload(store: FsObjectStore, key: string, one: Buffer, two: Buffer) {
  await store.createBucket(bucket);
  const upload = await store.multipart.initiate(newMeta(key));
  const parts = [await uploadPart(store, upload, 1, one), await uploadPart(store, upload, 2, two)];
  return { upload, parts };
}

const sequentialIds = (prefix: string) => {
  let n = 0;
  return () => `${prefix}${(n++).toString(16).padStart(32 - prefix.length, '0')}`;
};

describe('FsObjectStore multipart recovery', () => {
  it('sweeps an interrupted Complete (temp file, unindexed blob) and orphan part files; the upload resumes', async () => {
    await withDataDir(async (dataDir, root) => {
      const one = Buffer.alloc(MiB, 'a');
      const two = Buffer.from('the end');
      const { upload, parts } = await lifetime(dataDir, (store) => startUpload(store, 'resumed', one, two));
      const outside = join(root, 'outside');
      await mkdir(outside);
      // Crash while streaming parts into tmp/ (half an object), after the rename into blobs/ but before
      // the index transaction (an unindexed blob), and during part commits (unindexed part files).
      await writeFile(join(dataDir, 'tmp', 'e'.repeat(32)), one.subarray(0, 1000));
      await mkdir(join(dataDir, 'blobs', 'ee'), { recursive: true });
      await writeFile(join(dataDir, 'blobs', 'ee', 'ee' + '1'.repeat(30)), Buffer.concat([one, two]));
      await writeFile(join(dataDir, 'parts', 'f'.repeat(32)), 'renamed part, never indexed');
      await symlink(join(outside, 'target'), join(dataDir, 'parts', 'd'.repeat(32)));
      await mkdir(join(dataDir, 'parts', 'foreign-dir'));
      await lifetime(dataDir, async (store) => {
        assert.deepEqual(store.sweepReport, {
          tempFilesRemoved: 1,
          orphanBlobsRemoved: 1,
          lostObjects: [],
          orphanPartsRemoved: 2,
          lostParts: [],
          unexpectedEntries: [join(dataDir, 'parts', 'foreign-dir')],
        });
        assert.deepEqual(await store.multipart.getUpload(bucket, 'resumed', upload.uploadId), upload);
        const listed = await store.multipart.listParts(bucket, 'resumed', upload.uploadId, { maxParts: 10 });
        assert.deepEqual(listed.parts, parts);
        assert.equal(await store.head(bucket, 'resumed'), undefined);
        await complete(store, upload, chosen(...parts));
        const read = await store.read(bucket, 'resumed');
        assert.ok((await readBody(read!.body)).equals(Buffer.concat([one, two])));
      });
      assert.deepEqual(await readdir(join(dataDir, 'parts')), ['foreign-dir']);
      assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
    });
  });

  it('sweeps the part files a crash after the Complete transaction left behind, keeping the object', async () => {
    await withDataDir(async (dataDir) => {
      const ids = sequentialIds('a');
      const partFiles = await lifetime(
        dataDir,
        async (store) => {
          const { upload, parts } = await startUpload(store, 'done', Buffer.from('x'), Buffer.from('y'));
          const names = await readdir(join(dataDir, 'parts'));
          await complete(store, upload, chosen(...parts));
          return names;
        },
        ids,
      );
      assert.equal(partFiles.length, 2);
      for (const name of partFiles)
        await writeFile(join(dataDir, 'parts', name), 'left after the transaction');
      await lifetime(dataDir, async (store) => {
        assert.equal(store.sweepReport.orphanPartsRemoved, 2);
        const read = await store.read(bucket, 'done');
        assert.deepEqual(await readBody(read!.body), Buffer.from('xy'));
        assert.deepEqual((await store.multipart.listUploads(bucket, { maxUploads: 10 })).uploads, []);
      });
      assert.deepEqual(await readdir(join(dataDir, 'parts')), []);
    });
  });

  it('drops a part whose file is missing at open and reports it; the others stay', async () => {
    await withDataDir(async (dataDir) => {
      const { upload } = await lifetime(
        dataDir,
        (store) => startUpload(store, 'damaged', Buffer.from('1'), Buffer.from('2')),
        sequentialIds('b'),
      );
      const [firstPart] = (await readdir(join(dataDir, 'parts'))).sort();
      await unlink(join(dataDir, 'parts', firstPart!));
      await lifetime(dataDir, async (store) => {
        assert.deepEqual(store.sweepReport.lostParts, [{ uploadId: upload.uploadId, partNumber: 1 }]);
        const { parts } = await store.multipart.listParts(bucket, 'damaged', upload.uploadId, {
          maxParts: 10,
        });
        assert.deepEqual(
          parts.map((p) => p.partNumber),
          [2],
        );
      });
    });
  });

  it('answers InternalError, not a silent short object, when a chosen part file vanished while running', async () => {
    await withDataDir(async (dataDir) => {
      await lifetime(
        dataDir,
        async (store) => {
          const { upload, parts } = await startUpload(store, 'gone', Buffer.from('1'), Buffer.from('2'));
          const [firstPart] = (await readdir(join(dataDir, 'parts'))).sort();
          await unlink(join(dataDir, 'parts', firstPart!));
          await assert.rejects(complete(store, upload, chosen(...parts)), { code: 'InternalError' });
          assert.equal(await store.head(bucket, 'gone'), undefined);
          assert.ok(await store.multipart.getUpload(bucket, 'gone', upload.uploadId));
          assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
        },
        sequentialIds('c'),
      );
    });
  });

  it('keeps uploads initiated with the injected clock and ids across a restart', async () => {
    await withDataDir(async (dataDir) => {
      const open = () =>
        FsObjectStore.open({ dataDir, now: () => 1_700_000_000_000, newUploadId: () => 'A'.repeat(32) });
      const first = await open();
      let upload;
      try {
        await first.createBucket(bucket);
        upload = await first.multipart.initiate(newMeta('k'));
      } finally {
        await first.close();
      }
      assert.equal(upload.uploadId, 'A'.repeat(32));
      assert.equal(upload.initiatedMs, 1_700_000_000_000);
      const second = await open();
      try {
        assert.deepEqual(await second.multipart.getUpload(bucket, 'k', 'A'.repeat(32)), upload);
      } finally {
        await second.close();
      }
      assert.ok((await walkFiles(dataDir)).every((file) => !file.includes('A'.repeat(32))));
    });
  });
});
