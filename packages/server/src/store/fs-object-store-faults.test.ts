// FsObjectStore under real faults, each in a child process: a write error from the kernel (the file-size
// limit of `ulimit -f` makes write(2) fail with EFBIG, the same path as ENOSPC/EIO — threats §C7 item 63)
// in an upload and in a CompleteMultipartUpload, and kill -9 in the middle of either (§C7 item 60).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

  it('surfaces a kernel write error during Complete, leaves no temp file and keeps the upload', async () => {
    await withRoot(async (dataDir) => {
      const { child, stdout } = runChild(
        dataDir,
        `
const upload = await store.multipart.initiate(meta('big'));
const parts = [];
for (const n of [1, 2, 3]) {
  const body = Buffer.alloc(900 * 1024, n); // each part fits under the limit, the object does not
  const pending = await store.multipart.beginPart('faults', 'big', upload.uploadId, n);
  await pipeline(Readable.from([body]), pending.sink);
  const { partNumber, etag } = await pending.commit(checksumsOf(body));
  parts.push({ partNumber, etag });
}
const result = { etag: '"M-3"', crc64: '1' };
const completeError = await store.multipart.complete(upload, parts, result).then(() => 'none', (e) => e.code);
const tmpLeft = await readdir(join(dataDir, 'tmp'));
const partsLeft = (await store.multipart.listParts('faults', 'big', upload.uploadId, { maxParts: 10 })).parts.length;
const bigStored = (await store.head('faults', 'big')) !== undefined;
await putObject(store, meta('small'), Buffer.from('still alive'));
const smallStored = (await store.head('faults', 'small'))?.size;
await store.close();
console.log(JSON.stringify({ completeError, tmpLeft, partsLeft, bigStored, smallStored }));
`,
        'ulimit -f 2048 &&', // 1–2 MiB depending on the shell's block unit; the object is 2.6 MiB
      );
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      assert.equal(exitCode, 0);
      assert.deepEqual(JSON.parse(stdout()), {
        completeError: 'EFBIG',
        tmpLeft: [],
        partsLeft: 3,
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

  it('after kill -9 mid-CompleteMultipartUpload, keeps the previous version and a resumable upload', async () => {
    await withRoot(async (dataDir) => {
      const partBytes = 32 << 20;
      const { child, stdout } = runChild(
        dataDir,
        `
await putObject(store, meta('doc'), Buffer.from('version 1'));
const upload = await store.multipart.initiate(meta('doc'));
const parts = [];
for (const n of [1, 2, 3]) {
  const body = Buffer.alloc(${partBytes}, n);
  const pending = await store.multipart.beginPart('faults', 'doc', upload.uploadId, n);
  await pipeline(Readable.from([body]), pending.sink);
  const { partNumber, etag } = await pending.commit(checksumsOf(body));
  parts.push({ partNumber, etag });
}
console.log('ready');
await store.multipart.complete(upload, parts, { etag: '"M-3"', crc64: '1' });
console.log('completed');
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
      // Kill while the parts are being assembled: the temp file exists only during Complete.
      while ((await readdir(join(dataDir, 'tmp'))).length === 0) {
        assert.ok(!stdout().includes('completed'), 'Complete finished before the kill');
        await sleep(1);
      }
      child.kill('SIGKILL');
      await once(child, 'exit');
      const store = await FsObjectStore.open({ dataDir });
      try {
        const { tempFilesRemoved, orphanBlobsRemoved, orphanPartsRemoved } = store.sweepReport;
        assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);
        const read = await store.read('faults', 'doc');
        assert.deepEqual(await readBody(read!.body), Buffer.from('version 1'), 'a partial object is visible');
        assert.equal(tempFilesRemoved + orphanBlobsRemoved, 1);
        assert.equal(orphanPartsRemoved, 0);
        const [upload] = (await store.multipart.listUploads('faults', { maxUploads: 10 })).uploads;
        const { parts } = await store.multipart.listParts('faults', 'doc', upload!.uploadId, {
          maxParts: 10,
        });
        assert.deepEqual(
          parts.map((p) => [p.partNumber, p.size]),
          [1, 2, 3].map((n) => [n, partBytes]),
        );
        await store.multipart.complete(upload!, parts, { etag: '"M-3"', crc64: '1' });
        const whole = await readBody((await store.read('faults', 'doc'))!.body);
        assert.equal(whole.length, 3 * partBytes);
        assert.deepEqual([whole[0], whole[partBytes], whole[3 * partBytes - 1]], [1, 2, 3]);
        assert.deepEqual(await readdir(join(dataDir, 'parts')), []);
      } finally {
        await store.close();
      }
    });
  });
});
