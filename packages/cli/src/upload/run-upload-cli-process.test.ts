// `upcall upload` as a child process: a real Ctrl-C (SIGINT), and memory measured on a 50 MiB upload
// in a process of its own (the loopback storage in this process hashes the bytes as they arrive).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLoopbackStorage } from './test-support/with-loopback-storage.js';
import { writeRandomFile } from './test-support/write-random-file.js';

const supportDir = new URL('./test-support/', import.meta.url).pathname;
const mebibyte = 1024 * 1024;
let dir = '';

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startNode(args: string[]): { child: ReturnType<typeof spawn>; finished: Promise<Finished> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, finished };
}

describe('upcall upload (child process)', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-upload-process-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('aborts the in-flight upload on Ctrl-C (SIGINT), reports it and exits 130', { timeout: 60_000 }, () =>
    withLoopbackStorage({ stallAfterBytes: 256 * 1024 }, async (storage) => {
      // Larger than the kernel's socket buffers can hold, so the stalled upload stays in flight.
      const file = await writeRandomFile(dir, 'video.mp4', 32 * mebibyte);
      const { child, finished } = startNode([
        join(supportDir, 'upload-main.ts'),
        file.path,
        '--ticket-url',
        storage.ticketUrl,
      ]);
      await storage.stalled;
      child.kill('SIGINT');
      const { code, stdout, stderr } = await finished;
      assert.equal(code, 130, stderr);
      assert.equal(stdout, `${file.path}: aborted\n`);
      assert.match(stderr, /upcall upload: interrupted\n$/);
      const { bodyBytes, contentLength } = await storage.drainStalled();
      assert.ok(bodyBytes < contentLength, `${bodyBytes} of ${contentLength} bytes arrived`);
    }),
  );

  it(
    'streams a 50 MiB file from disk: the upload adds far less memory than the file size',
    { timeout: 120_000 },
    (t) =>
      withLoopbackStorage({}, async (storage) => {
        const file = await writeRandomFile(dir, 'fifty.bin', 50 * mebibyte);
        const { finished } = startNode([
          '--expose-gc',
          join(supportDir, 'measure-upload-rss.ts'),
          file.path,
          storage.ticketUrl,
        ]);
        const { code, stdout, stderr } = await finished;
        assert.equal(code, 0, stderr);
        const report = JSON.parse(stdout) as {
          exitCodes: number[];
          coldDeltaBytes: number;
          warmDeltaBytes: number;
        };
        t.diagnostic(
          `RSS delta: first upload ${(report.coldDeltaBytes / mebibyte).toFixed(1)} MiB, ` +
            `second ${(report.warmDeltaBytes / mebibyte).toFixed(1)} MiB (file ${file.size / mebibyte} MiB)`,
        );
        assert.deepEqual(report.exitCodes, [0, 0]);
        assert.deepEqual(
          storage.uploads.map((upload) => upload.file?.sha256),
          [file.sha256, file.sha256],
        );
        // Measured on a dev machine: ~30 MiB cold (one-time costs), ~2 MiB warm. Reading the file into
        // memory instead measured ~128 MiB cold and ~50 MiB warm, so these bounds tell the two apart.
        assert.ok(report.coldDeltaBytes < file.size, `first upload added ${report.coldDeltaBytes} bytes`);
        assert.ok(
          report.warmDeltaBytes < file.size / 4,
          `second upload added ${report.warmDeltaBytes} bytes`,
        );
      }),
  );
});
