// FsObjectStore under real faults, each in a child process: a write error from the kernel (the file-size
// limit of `ulimit -f` makes write(2) fail with EFBIG, the same path as ENOSPC/EIO — threats §C7 item 63)
// and kill -9 in the middle of an upload (§C7 item 60).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsObjectStore } from './fs-object-store.js';
import { readBody } from './contract/contract-fixtures.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const storeModule = fileURLToPath(new URL('./fs-object-store.ts', import.meta.url));
const fixturesModule = fileURLToPath(new URL('./contract/contract-fixtures.ts', import.meta.url));

/** Child prelude: an open store with one bucket, and the fixtures. */
const prelude = `
const { FsObjectStore } = await import(process.env.STORE_MODULE);
const { newMeta, putObject, checksumsOf } = await import(process.env.FIXTURES_MODULE);
const { Readable } = await import('node:stream');
const { pipeline } = await import('node:stream/promises');
const { readdir } = await import('node:fs/promises');
const { join } = await import('node:path');
const dataDir = process.env.DATA_DIR;
const store = await FsObjectStore.open({ dataDir });
await store.createBucket('faults');
const meta = (key) => newMeta(key, { bucket: 'faults' });
`;

/** Runs `code` after the prelude under `sh -c "<shellPrefix> exec node …"`. */
function runChild(dataDir: string, code: string, shellPrefix = '') {
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      `${shellPrefix} exec "$0" "$@"`,
      process.execPath,
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      prelude + code,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir, STORE_MODULE: storeModule, FIXTURES_MODULE: fixturesModule },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  return { child, stdout: () => stdout };
}

async function withRoot(test: (dataDir: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'upcall-fs-faults-'));
  try {
    await test(join(root, 'data'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('FsObjectStore faults', () => {
  it('surfaces a kernel write error to the caller, leaves no temp file and keeps serving', async () => {
    await withRoot(async (dataDir) => {
      const { child, stdout } = runChild(
        dataDir,
        `
const pending = await store.beginPut(meta('big'));
const chunk = Buffer.alloc(256 * 1024, 1);
const body = Readable.from(Array.from({ length: 32 }, () => chunk));
const pipelineError = await pipeline(body, pending.sink).then(() => 'none', (e) => e.code);
const commitError = await pending.commit({ ...checksumsOf(Buffer.alloc(0)), size: 8 << 20 }).then(() => 'none', (e) => e.code);
await pending.abort();
const tmpLeft = await readdir(join(dataDir, 'tmp'));
const bigStored = (await store.head('faults', 'big')) !== undefined;
await putObject(store, meta('small'), Buffer.from('still alive'));
const smallStored = (await store.head('faults', 'small'))?.size;
await store.close();
console.log(JSON.stringify({ pipelineError, commitError, tmpLeft, bigStored, smallStored }));
`,
        'ulimit -f 2048 &&', // 1–2 MiB depending on the shell's block unit; the body is 8 MiB
      );
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      assert.equal(exitCode, 0);
      assert.deepEqual(JSON.parse(stdout()), {
        pipelineError: 'EFBIG',
        commitError: 'EFBIG',
        tmpLeft: [],
        bigStored: false,
        smallStored: 11,
      });
    });
  });

  it('after kill -9 mid-upload, shows the previous version and sweeps the temp file on restart', async () => {
    await withRoot(async (dataDir) => {
      const { child, stdout } = runChild(
        dataDir,
        `
await putObject(store, meta('doc'), Buffer.from('version 1'));
const pending = await store.beginPut(meta('doc'));
pending.sink.write(Buffer.alloc(1 << 20, 2));
await new Promise((resolve) => pending.sink.once('drain', resolve));
console.log('ready');
setInterval(() => undefined, 1000);
`,
      );
      while (!stdout().includes('ready')) {
        const [exitCode] = await Promise.race([
          once(child, 'exit'),
          once(child.stdout, 'data').then(() => [undefined]),
        ]);
        assert.equal(exitCode, undefined, 'the child ended before it was killed');
      }
      assert.equal((await readdir(join(dataDir, 'tmp'))).length, 1);
      child.kill('SIGKILL');
      await once(child, 'exit');
      const store = await FsObjectStore.open({ dataDir });
      try {
        assert.equal(store.sweepReport.tempFilesRemoved, 1);
        assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
        const read = await store.read('faults', 'doc');
        assert.deepEqual(await readBody(read!.body), Buffer.from('version 1'));
      } finally {
        await store.close();
      }
    });
  });
});
