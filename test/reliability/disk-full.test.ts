// Disk full (threats §B13, §C7 item 63; docs/reliability.md "Disk full"): `upcall server` on a 50 MiB
// tmpfs answers uploads that do not fit with 500 InternalError (OSS has no disk-full code: project
// choice P) — promptly, never a hang — keeps nothing partial, removes its temp files, stays up, and takes
// the next upload once space returns. Where mount is not permitted the tmpfs suite is skipped; the
// fault-injected ENOSPC suite (UPCALL_FAULT_INJECTION) covers the same code path everywhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getObject, headObject, putObject, type OssTarget } from './support/oss-requests.js';
import { sendStreamingUpload } from './support/raw-upload.js';
import { buildBody } from './support/seeded-random.js';
import { startUpcallServer, type ServerProcess } from './support/server-process.js';
import { mountTmpfs, unmountTmpfs, type MountResult } from './support/tmpfs-mount.js';
import { answeredStatus, createMultipartClient } from './support/upload-driver.js';

const mib = 1024 * 1024;
const credentials = {
  accessKeyId: 'DISKFULLTESTKEY000000001',
  accessKeySecret: 'disk-full-secret-00000000000',
};
const bucket = 'full';

/** Fills the filesystem holding `path` until write(2) fails with ENOSPC; returns the bytes written. */
async function fillDisk(path: string): Promise<number> {
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(mib, 0x7a);
  let written = 0;
  try {
    for (;;) written += (await handle.write(chunk)).bytesWritten;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return written;
}

describe('disk full on a 50 MiB tmpfs', () => {
  let root: string;
  let mountPoint: string;
  let mount: MountResult = { mounted: false, reason: 'not tried' };
  let server: ServerProcess | undefined;
  const target = (): OssTarget => ({ port: server!.port, bucket, ...credentials });
  const tmpFiles = () => readdir(join(mountPoint, 'data', 'tmp'));

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-disk-full-'));
    mountPoint = join(root, 'mnt');
    await mkdir(mountPoint);
    mount = await mountTmpfs(mountPoint, 50);
    if (mount.mounted)
      server = await startUpcallServer({ dataDir: join(mountPoint, 'data'), bucket, ...credentials });
  });
  after(async () => {
    await server?.kill('SIGKILL');
    if (mount.mounted) await unmountTmpfs(mountPoint);
    await rm(root, { recursive: true, force: true });
  });

  it('answers a 100 MiB PutObject and PostObject with 500 InternalError, keeps nothing, serves on', async (t) => {
    if (!mount.mounted) return t.skip(`mount not permitted: ${mount.reason}`);
    const kept = buildBody(1, 256 * 1024);
    assert.equal((await putObject(target(), 'kept', kept)).status, 200);
    for (const kind of ['put', 'post'] as const) {
      const outcome = await sendStreamingUpload(target(), kind, `huge-${kind}`, 100 * mib, {
        timeoutMs: 30_000,
      });
      t.diagnostic(
        `${kind} 100 MiB: ${outcome.status} ${outcome.code} after ${outcome.bytesSent / mib} MiB sent, ${outcome.elapsedMs} ms`,
      );
      assert.equal(outcome.status, 500, outcome.response);
      assert.equal(outcome.code, 'InternalError');
      assert.deepEqual(await tmpFiles(), []);
      assert.equal((await headObject(target(), `huge-${kind}`)).status, 404);
    }
    assert.ok(server!.isRunning());
    const next = buildBody(2, 64 * 1024);
    assert.equal((await putObject(target(), 'next', next)).status, 200);
    assert.deepEqual((await getObject(target(), 'next')).body, next);
    assert.deepEqual((await getObject(target(), 'kept')).body, kept);
  });

  it('fails a CompleteMultipartUpload that does not fit, keeps the upload resumable and frees space on abort', async (t) => {
    if (!mount.mounted) return t.skip(`mount not permitted: ${mount.reason}`);
    const client = createMultipartClient(target());
    const part = Buffer.alloc(20 * mib, 0x70);
    const { uploadId } = await client.initMultipartUpload('assembled');
    const parts = [];
    for (const number of [1, 2]) {
      const { etag } = await client.uploadPart('assembled', uploadId, number, part, 0, part.length);
      parts.push({ number, etag });
    }
    const error = await client.completeMultipartUpload('assembled', uploadId, parts).then(
      () => undefined,
      (rejection: unknown) => rejection as { status: number; code: string },
    );
    assert.equal(answeredStatus(error), 500);
    assert.equal(error?.code, 'InternalError');
    assert.deepEqual(await tmpFiles(), []);
    assert.equal((await headObject(target(), 'assembled')).status, 404);
    const listed = await client.listParts('assembled', uploadId);
    assert.equal([listed.parts].flat().length, 2, 'the parts survive the failed Complete');
    await client.abortMultipartUpload('assembled', uploadId);
    assert.deepEqual(await readdir(join(mountPoint, 'data', 'parts')), []);
    assert.equal((await putObject(target(), 'after-abort', buildBody(3, 30 * mib))).status, 200);
  });

  it('refuses uploads while the disk is full and takes them again as soon as space returns', async (t) => {
    if (!mount.mounted) return t.skip(`mount not permitted: ${mount.reason}`);
    const filler = join(mountPoint, 'filler');
    const filled = await fillDisk(filler);
    t.diagnostic(`filled the remaining ${(filled / mib).toFixed(1)} MiB`);
    const small = buildBody(4, 64 * 1024);
    const refused = await putObject(target(), 'while-full', small);
    assert.equal(refused.status, 500);
    assert.match(refused.body.toString('utf8'), /<Code>InternalError<\/Code>/);
    assert.deepEqual(await tmpFiles(), []);
    await rm(filler);
    assert.equal((await putObject(target(), 'while-full', small)).status, 200);
    assert.deepEqual((await getObject(target(), 'while-full')).body, small);
    assert.deepEqual(await tmpFiles(), []);
    assert.ok(server!.isRunning());
  });
});

describe('disk full simulated by fault injection (UPCALL_FAULT_INJECTION …:enospc)', () => {
  let root: string;
  let server: ServerProcess | undefined;
  const target = (): OssTarget => ({ port: server!.port, bucket, ...credentials });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-enospc-'));
    server = await startUpcallServer({
      dataDir: join(root, 'data'),
      bucket,
      ...credentials,
      // The first three staged writes and the first Complete fail as on a full disk; then space "returns".
      faultInjection: 'after-data-write:enospc:1-3,complete-before-rename:enospc:1',
    });
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('answers PutObject, PostObject, UploadPart and Complete with 500 InternalError, then recovers', async () => {
    const tmpFiles = () => readdir(join(root, 'data', 'tmp'));
    const body = buildBody(5, 300 * 1024);
    for (const kind of ['put', 'post'] as const) {
      const outcome = await sendStreamingUpload(target(), kind, `refused-${kind}`, 300 * 1024, {
        timeoutMs: 10_000,
      });
      assert.deepEqual([outcome.status, outcome.code], [500, 'InternalError'], outcome.response);
      assert.equal((await headObject(target(), `refused-${kind}`)).status, 404);
    }
    const client = createMultipartClient(target());
    const { uploadId } = await client.initMultipartUpload('parts');
    const refusedPart = await client
      .uploadPart('parts', uploadId, 1, body, 0, body.length)
      .catch((e: unknown) => e);
    assert.equal(answeredStatus(refusedPart), 500);
    assert.deepEqual(await tmpFiles(), []);

    assert.equal((await putObject(target(), 'after-space-returned', body)).status, 200);
    const { etag } = await client.uploadPart('parts', uploadId, 1, body, 0, body.length);
    const refusedComplete = await client
      .completeMultipartUpload('parts', uploadId, [{ number: 1, etag }])
      .catch((e: unknown) => e);
    assert.equal(answeredStatus(refusedComplete), 500);
    assert.equal((refusedComplete as { code: string }).code, 'InternalError');
    assert.deepEqual(await tmpFiles(), []);
    assert.equal((await headObject(target(), 'parts')).status, 404);
    await client.completeMultipartUpload('parts', uploadId, [{ number: 1, etag }]);
    assert.deepEqual((await getObject(target(), 'parts')).body, body);
    assert.deepEqual((await getObject(target(), 'after-space-returned')).body, body);
    assert.ok(server!.isRunning());
  });
});

describe('a failing data fsync (UPCALL_FAULT_INJECTION data-fsync:eio)', () => {
  let root: string;
  let server: ServerProcess | undefined;
  const target = (): OssTarget => ({ port: server!.port, bucket, ...credentials });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-fsync-eio-'));
    // The fsync a staged file gets as its stream closes (store/fs-staged-file-ops.ts) fails twice.
    server = await startUpcallServer({
      dataDir: join(root, 'data'),
      bucket,
      ...credentials,
      faultInjection: 'data-fsync:eio:1-2',
    });
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('answers PutObject and PostObject with 500 InternalError, keeps nothing, then stores the next one', async () => {
    for (const kind of ['put', 'post'] as const) {
      const outcome = await sendStreamingUpload(target(), kind, `unsynced-${kind}`, 300 * 1024, {
        timeoutMs: 10_000,
      });
      assert.deepEqual([outcome.status, outcome.code], [500, 'InternalError'], outcome.response);
      assert.equal((await headObject(target(), `unsynced-${kind}`)).status, 404);
      assert.deepEqual(await readdir(join(root, 'data', 'tmp')), []);
    }
    const body = buildBody(6, 100 * 1024);
    assert.equal((await putObject(target(), 'synced', body)).status, 200);
    assert.deepEqual((await getObject(target(), 'synced')).body, body);
    assert.ok(server!.isRunning());
  });
});
