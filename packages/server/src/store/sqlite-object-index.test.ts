// The index's group commit as FsObjectStore uses it: commits that arrive in one event-loop turn share one
// durable transaction, with the per-commit semantics of separate transactions in arrival order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OssError } from '@upcall/protocol';
import { SqliteObjectIndex, type IndexedObject } from './sqlite-object-index.js';
import { checksumsOf, newMeta } from './contract/contract-fixtures.js';

const bucket = 'batched';

function entry(key: string, blobId: string): IndexedObject {
  const meta = { ...newMeta(key, { bucket }), ...checksumsOf(Buffer.from(blobId)), lastModifiedMs: 1 };
  return { meta, blobId };
}

const blob = (n: number): string => n.toString(16).padStart(32, '0');

async function withIndex(test: (index: SqliteObjectIndex, path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'upcall-index-'));
  const path = join(dir, 'index.sqlite');
  const index = SqliteObjectIndex.open(path, { busyTimeoutMs: 100, nowMs: 0 });
  let closed = false;
  try {
    index.insertBucket({ name: bucket, acl: 'private', createdMs: 0 });
    await test(index, path);
    index.close();
    closed = true;
  } finally {
    if (!closed) index.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('SqliteObjectIndex group commit', () => {
  it('lets the first of two forbid-overwrite commits of one key in one batch win; the second gets FileAlreadyExists', async () => {
    await withIndex(async (index) => {
      const before = index.commitStats.batches;
      const first = index.commitObject(entry('k', blob(1)), true);
      const second = index.commitObject(entry('k', blob(2)), true);
      assert.equal(await first, undefined);
      await assert.rejects(
        second,
        (error: unknown) => error instanceof OssError && error.code === 'FileAlreadyExists',
      );
      assert.equal(index.commitStats.batches, before + 1, 'both were in one transaction');
      assert.equal(index.getObject(bucket, 'k')?.blobId, blob(1));
    });
  });

  it('reports to each writer the blob it replaced, also when both replace in one batch', async () => {
    await withIndex(async (index) => {
      await index.commitObject(entry('k', blob(1)), false);
      const replacedBySecond = index.commitObject(entry('k', blob(2)), false);
      const replacedByThird = index.commitObject(entry('k', blob(3)), false);
      const deleted = index.deleteObject(bucket, 'k');
      assert.equal(await replacedBySecond, blob(1));
      assert.equal(await replacedByThird, blob(2));
      assert.equal(await deleted, blob(3));
      assert.equal(index.getObject(bucket, 'k'), undefined);
    });
  });

  it('fails only the commit whose bucket is gone, not the rest of its batch', async () => {
    await withIndex(async (index) => {
      const elsewhere = { ...entry('k', blob(1)), meta: { ...entry('k', blob(1)).meta, bucket: 'missing' } };
      const lost = index.commitObject(elsewhere, false);
      const kept = index.commitObject(entry('k', blob(2)), false);
      await assert.rejects(
        lost,
        (error: unknown) => error instanceof OssError && error.code === 'NoSuchBucket',
      );
      assert.equal(await kept, undefined);
      assert.equal(index.getObject(bucket, 'k')?.blobId, blob(2));
    });
  });

  it('writes commits still waiting for their batch when closed, durably', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcall-index-'));
    const path = join(dir, 'index.sqlite');
    try {
      const index = SqliteObjectIndex.open(path, { busyTimeoutMs: 100, nowMs: 0 });
      index.insertBucket({ name: bucket, acl: 'private', createdMs: 0 });
      const committed = index.commitObject(entry('late', blob(7)), false);
      index.close();
      assert.equal(await committed, undefined);
      const reopened = SqliteObjectIndex.open(path, { busyTimeoutMs: 100, nowMs: 0 });
      assert.equal(reopened.getObject(bucket, 'late')?.blobId, blob(7));
      reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
