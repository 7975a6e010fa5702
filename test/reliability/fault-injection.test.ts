// The fault-injection hook of FsObjectStore (packages/server/src/store/fault-injection.ts): the
// UPCALL_FAULT_INJECTION grammar, which arrivals fire, the errors it raises, and that a real server
// process armed with `kill` dies by SIGKILL at that exact step and recovers on restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFaultInjector,
  faultPoints,
  parseFaultInjection,
} from '../../packages/server/src/store/fault-injection.js';
import { countDataDirFiles } from './support/check-store.js';
import { getObject, putObject, type OssTarget } from './support/oss-requests.js';
import { buildBody } from './support/seeded-random.js';
import { startUpcallServer, type ServerProcess } from './support/server-process.js';

const credentials = {
  accessKeyId: 'FAULTINJECTIONKEY0000001',
  accessKeySecret: 'fault-secret-000000000000000',
};

describe('UPCALL_FAULT_INJECTION parsing', () => {
  it('reads point, action and hit ranges of several comma-separated rules', () => {
    assert.deepEqual(
      parseFaultInjection('after-blob-rename:kill, after-data-write:enospc:2-3,complete-after-commit:eio:4-'),
      [
        { point: 'after-blob-rename', action: 'kill', fromHit: 1, toHit: Infinity },
        { point: 'after-data-write', action: 'enospc', fromHit: 2, toHit: 3 },
        { point: 'complete-after-commit', action: 'eio', fromHit: 4, toHit: Infinity },
      ],
    );
    assert.deepEqual(parseFaultInjection('before-blob-rename:kill:5'), [
      { point: 'before-blob-rename', action: 'kill', fromHit: 5, toHit: 5 },
    ]);
  });

  it('refuses unknown points, unknown actions, bad ranges and extra fields instead of ignoring them', () => {
    for (const text of [
      'after-blob-renamed:kill',
      'after-blob-rename:explode',
      'after-blob-rename',
      'after-blob-rename:kill:0',
      'after-blob-rename:kill:3-2',
      'after-blob-rename:kill:x',
      'after-blob-rename:kill:1:2',
    ]) {
      assert.throws(() => parseFaultInjection(text), /UPCALL_FAULT_INJECTION/, text);
    }
  });

  it('names every commit step of the store', () => {
    assert.deepEqual(
      [...faultPoints],
      [
        'after-data-write',
        'before-blob-rename',
        'after-blob-rename',
        'after-index-commit',
        'complete-before-rename',
        'complete-after-rename',
        'complete-after-commit',
      ],
    );
  });
});

describe('the fault injector', () => {
  it('fires only on the arrivals in range, counting each point separately', () => {
    const inject = createFaultInjector(parseFaultInjection('after-data-write:enospc:2-3'));
    const outcomes = [1, 2, 3, 4].map(() => {
      inject('after-blob-rename'); // another point: never counted, never fires
      try {
        inject('after-data-write');
        return 'ok';
      } catch (error) {
        return (error as NodeJS.ErrnoException).code;
      }
    });
    assert.deepEqual(outcomes, ['ok', 'ENOSPC', 'ENOSPC', 'ok']);
  });

  it('raises errors shaped like the kernel’s (code, errno, syscall) so the store treats them as real', () => {
    const inject = createFaultInjector(parseFaultInjection('after-data-write:enospc,before-blob-rename:eio'));
    assert.throws(() => inject('after-data-write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    assert.throws(() => inject('before-blob-rename'), { code: 'EIO', errno: -5, syscall: 'write' });
  });

  it('calls kill at the chosen arrival only', () => {
    let kills = 0;
    const inject = createFaultInjector(parseFaultInjection('after-blob-rename:kill:2'), () => (kills += 1));
    inject('after-blob-rename');
    assert.equal(kills, 0);
    inject('after-blob-rename');
    inject('after-blob-rename');
    assert.equal(kills, 1);
  });
});

describe('a server armed with after-blob-rename:kill', () => {
  let root: string;
  let server: ServerProcess | undefined;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-fault-'));
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('SIGKILLs itself between the blob rename and the index commit; the restart sweeps the orphan blob', async () => {
    const dataDir = join(root, 'data');
    const options = { dataDir, bucket: 'faults', ...credentials };
    server = await startUpcallServer({ ...options, faultInjection: 'after-blob-rename:kill:2' });
    const target = (port: number): OssTarget => ({ port, bucket: 'faults', ...credentials });
    assert.match(server.output(), /FAULT INJECTION ARMED/);
    const first = buildBody(1, 10_000);
    assert.equal((await putObject(target(server.port), 'first', first)).status, 200);
    await assert.rejects(putObject(target(server.port), 'second', buildBody(2, 10_000)));
    assert.deepEqual(await server.exited, { code: null, signal: 'SIGKILL' });
    // The blob was renamed into place but never indexed: on disk now, an orphan for the sweep.
    assert.deepEqual(await countDataDirFiles(dataDir), { tmpFiles: 0, blobFiles: 2, partFiles: 0 });

    server = await startUpcallServer({
      ...options,
      logLevel: 'info',
      keepLine: (l) => l.includes('store opened'),
    });
    assert.doesNotMatch(server.output(), /FAULT INJECTION ARMED/);
    assert.match(server.output(), /"orphanBlobsRemoved":1/);
    assert.deepEqual(await countDataDirFiles(dataDir), { tmpFiles: 0, blobFiles: 1, partFiles: 0 });
    assert.equal((await getObject(target(server.port), 'second')).status, 404);
    assert.deepEqual((await getObject(target(server.port), 'first')).body, first);
    assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
