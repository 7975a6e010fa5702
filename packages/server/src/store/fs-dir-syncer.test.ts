import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsDirSyncer } from './fs-dir-syncer.js';

/** An fsync stand-in whose calls finish when the test says so (the coalescing is what is tested). */
function controlledSync() {
  const calls: Array<{ dir: string; finish: (error?: Error) => void }> = [];
  const syncDir = (dir: string): Promise<void> =>
    new Promise((resolve, reject) => {
      calls.push({ dir, finish: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  return { calls, syncDir };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FsDirSyncer', () => {
  it('serves every request that arrived during an fsync with ONE later fsync that starts after it', async () => {
    const { calls, syncDir } = controlledSync();
    const syncer = new FsDirSyncer(syncDir);
    const settled: string[] = [];
    const first = syncer.sync('/d').then(() => settled.push('first'));
    await tick();
    assert.equal(calls.length, 1);
    const later = [1, 2, 3].map((n) => syncer.sync('/d').then(() => settled.push(`later${n}`)));
    await tick();
    assert.equal(calls.length, 1, 'no second fsync while the first runs');
    calls[0]!.finish();
    await first;
    await tick();
    assert.deepEqual(settled, ['first'], 'the later requests are not covered by the fsync that was running');
    assert.equal(calls.length, 2);
    calls[1]!.finish();
    await Promise.all(later);
    assert.deepEqual(settled, ['first', 'later1', 'later2', 'later3']);
    assert.equal(syncer.fsyncs, 2);
  });

  it('syncs different directories independently', async () => {
    const { calls, syncDir } = controlledSync();
    const syncer = new FsDirSyncer(syncDir);
    const a = syncer.sync('/a');
    const b = syncer.sync('/b');
    await tick();
    assert.deepEqual(
      calls.map((call) => call.dir),
      ['/a', '/b'],
    );
    for (const call of calls) call.finish();
    await Promise.all([a, b]);
  });

  it('rejects every request a failed fsync stood for, and starts afresh for the next one', async () => {
    const { calls, syncDir } = controlledSync();
    const syncer = new FsDirSyncer(syncDir);
    const first = syncer.sync('/d');
    await tick();
    const second = syncer.sync('/d');
    const third = syncer.sync('/d');
    calls[0]!.finish();
    await first;
    await tick();
    calls[1]!.finish(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await assert.rejects(second, { code: 'EIO' });
    await assert.rejects(third, { code: 'EIO' });
    const fourth = syncer.sync('/d');
    await tick();
    assert.equal(calls.length, 3);
    calls[2]!.finish();
    await fourth;
  });

  it('fsyncs a real directory with the default fsync', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcall-dir-syncer-'));
    try {
      const syncer = new FsDirSyncer();
      await Promise.all([syncer.sync(dir), syncer.sync(dir), syncer.sync(dir)]);
      assert.ok(
        syncer.fsyncs >= 1 && syncer.fsyncs <= 2,
        `${syncer.fsyncs} fsyncs for 3 overlapping requests`,
      );
      await assert.rejects(syncer.sync(join(dir, 'missing')), { code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
