import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, fdatasync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStagedFileOps } from './fs-staged-file-ops.js';

type Datasync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

async function writeThrough(
  writeback: FsStagedFileOps,
  chunks: Buffer[],
): Promise<{ path: string; closedAt: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'early-writeback-'));
  const path = join(dir, 'staged');
  const sink = createWriteStream(path, { flags: 'wx', fs: writeback.streamFs });
  for (const chunk of chunks) if (!sink.write(chunk)) await once(sink, 'drain');
  sink.end();
  await once(sink, 'close');
  return { path, closedAt: performance.now() };
}

function chunksOf(count: number, bytes: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(bytes, i + 1));
}

describe('FsStagedFileOps: early writeback', () => {
  it('fdatasyncs the stream’s own descriptor once per threshold while the bytes arrive, content intact', async () => {
    const synced: number[] = [];
    const datasync: Datasync = (fd, done) => {
      synced.push(fd);
      fdatasync(fd, done);
    };
    const chunks = chunksOf(10, 1024);
    const writeback = new FsStagedFileOps({ everyBytes: 3 * 1024, datasync });
    const { path } = await writeThrough(writeback, chunks);
    try {
      assert.ok(synced.length >= 1 && synced.length <= 3, `synced ${synced.length} times`);
      assert.ok(synced.every((fd) => fd === synced[0]));
      assert.deepEqual(readFileSync(path), Buffer.concat(chunks));
      assert.equal(writeback.earlyError, undefined);
    } finally {
      rmSync(join(path, '..'), { recursive: true, force: true });
    }
  });

  it('never fdatasyncs a file smaller than the threshold', async () => {
    let calls = 0;
    const writeback = new FsStagedFileOps({
      everyBytes: 64 * 1024,
      datasync: (fd, done) => {
        calls++;
        fdatasync(fd, done);
      },
    });
    const { path } = await writeThrough(writeback, chunksOf(4, 1024));
    rmSync(join(path, '..'), { recursive: true, force: true });
    assert.equal(calls, 0);
  });

  it('closes the descriptor only after an in-flight fdatasync has finished', async () => {
    let syncFinishedAt = 0;
    const writeback = new FsStagedFileOps({
      everyBytes: 1024,
      datasync: (fd, done) => {
        setTimeout(() => {
          fdatasync(fd, (error) => {
            syncFinishedAt = performance.now();
            done(error);
          });
        }, 50);
      },
    });
    const { path, closedAt } = await writeThrough(writeback, chunksOf(2, 1024));
    rmSync(join(path, '..'), { recursive: true, force: true });
    assert.ok(syncFinishedAt > 0, 'the slow fdatasync ran');
    assert.ok(closedAt >= syncFinishedAt, 'close waited for it');
  });

  it('keeps the first fdatasync error for the commit to rethrow (a later descriptor would not see it)', async () => {
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO', errno: -5 });
    const writeback = new FsStagedFileOps({ everyBytes: 1024, datasync: (_fd, done) => done(eio) });
    const { path } = await writeThrough(writeback, chunksOf(3, 1024));
    rmSync(join(path, '..'), { recursive: true, force: true });
    assert.equal(writeback.earlyError, eio);
  });
});

describe('FsStagedFileOps: sync at close', () => {
  it('fsyncs and measures the file on the stream’s descriptor before closing it', async () => {
    const ops = new FsStagedFileOps();
    const chunks = chunksOf(3, 1000);
    const { path } = await writeThrough(ops, chunks);
    rmSync(join(path, '..'), { recursive: true, force: true });
    assert.equal(ops.syncedSize, 3000);
  });

  it('skips the fsync and the measurement for an abandoned write', async () => {
    const ops = new FsStagedFileOps();
    ops.abandon();
    const { path } = await writeThrough(ops, chunksOf(2, 1000));
    rmSync(join(path, '..'), { recursive: true, force: true });
    assert.equal(ops.syncedSize, undefined);
  });
});
