import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsDirHandles } from './fs-dir-handles.js';

async function openFdCount(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

describe('FsDirHandles', () => {
  it('keeps one descriptor per directory across fsyncs and releases them all on close', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dir-handles-'));
    const dirs = ['a', 'b'].map((name) => join(root, name));
    for (const dir of dirs) await mkdir(dir);
    const handles = new FsDirHandles();
    const before = await openFdCount();
    for (let i = 0; i < 5; i++) await Promise.all(dirs.map((dir) => handles.sync(dir)));
    assert.equal(handles.openCount, 2);
    assert.equal((await openFdCount()) - before, 2);
    await handles.close();
    assert.equal(handles.openCount, 0);
    assert.equal(await openFdCount(), before);
    await handles.sync(dirs[0]!); // after close: opened and closed per call
    assert.equal(await openFdCount(), before);
    await rm(root, { recursive: true, force: true });
  });

  it('opens and closes per fsync beyond its limit', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dir-handles-'));
    const dirs = ['a', 'b', 'c'].map((name) => join(root, name));
    for (const dir of dirs) await mkdir(dir);
    const handles = new FsDirHandles(1);
    const before = await openFdCount();
    for (const dir of dirs) await handles.sync(dir);
    assert.equal(handles.openCount, 1);
    assert.equal((await openFdCount()) - before, 1);
    await handles.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reports a directory it cannot open, keeps nothing for it, and retries later', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dir-handles-'));
    const late = join(root, 'late');
    const handles = new FsDirHandles();
    await assert.rejects(handles.sync(late), { code: 'ENOENT' });
    assert.equal(handles.openCount, 0);
    await mkdir(late);
    await handles.sync(late);
    assert.equal(handles.openCount, 1);
    await handles.close();
    await rm(root, { recursive: true, force: true });
  });
});
