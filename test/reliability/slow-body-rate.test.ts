// Minimum body throughput (threats §C4 item 36, http/guard-body-rate.ts). The idle timeout is reset by
// every byte, so before the guard a PutObject trickling one byte a second stayed open, with its temp
// file, as long as it liked. Here `upcall server`'s startServer runs in a child process with a minimum of
// 2 000 bytes/s judged over 1 s windows; real clients trickle signed PutObject and PostObject bodies
// at ~500 bytes/s and must get 400 RequestTimeout and a closed connection within a few windows, leaving
// no temp file, while a normal upload and a slow-but-sufficient one (~40 KB/s) both succeed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putObject, type OssTarget } from './support/oss-requests.js';
import { frameUpload, openSocket, parseResponse } from './support/raw-upload.js';
import { buildBody } from './support/seeded-random.js';
import { startServerWithConfig, type ServerProcess } from './support/server-process.js';

const minBodyBytesPerSec = 2_000;
const bodyRateWindowMs = 1_000;
const credentials = {
  accessKeyId: 'SLOWCLIENTTESTKEY0000001',
  accessKeySecret: 'slow-secret-00000000000000000',
};

interface TrickleResult {
  readonly status: number;
  readonly code: string | undefined;
  readonly closedByServer: boolean;
  readonly openMs: number;
  readonly bytesSent: number;
}

/**
 * Sends the head of a signed upload of `fileBytes`, then `pieceBytes` every `intervalMs` (the tail
 * once the file is all sent), until the server closes the connection or `maxMs` passes.
 */
async function trickleUpload(
  target: OssTarget,
  kind: 'put' | 'post',
  key: string,
  options: { fileBytes: number; pieceBytes: number; intervalMs: number; maxMs: number },
): Promise<TrickleResult> {
  const startedMs = Date.now();
  const { head, tail } = frameUpload(target, kind, key, options.fileBytes);
  const socket = await openSocket(target.port);
  let response = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  socket.once('close', () => (closed = true));
  socket.write(head);
  let bytesSent = 0;
  while (!closed && Date.now() - startedMs < options.maxMs) {
    if (bytesSent < options.fileBytes) {
      const piece = Math.min(options.pieceBytes, options.fileBytes - bytesSent);
      socket.write(Buffer.alloc(piece, 0x74));
      bytesSent += piece;
      if (bytesSent === options.fileBytes) socket.write(tail);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  const closedByServer = closed;
  socket.destroy();
  return { ...parseResponse(response), closedByServer, openMs: Date.now() - startedMs, bytesSent };
}

describe('minimum body throughput (threats §C4.36)', () => {
  let root: string;
  let server: ServerProcess;
  const target = (): OssTarget => ({ port: server.port, bucket: 'slow', ...credentials });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-body-rate-'));
    server = await startServerWithConfig({
      dataDir: join(root, 'data'),
      minBodyBytesPerSec,
      bodyRateWindowMs,
    });
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('answers trickled PutObject and PostObject bodies with 400 RequestTimeout and closes them, while normal uploads succeed', async (t) => {
    const trickle = { fileBytes: 1024 * 1024, pieceBytes: 50, intervalMs: 100, maxMs: 8_000 };
    const attack = Promise.all([
      trickleUpload(target(), 'put', 'trickle/put', trickle),
      trickleUpload(target(), 'post', 'trickle/post', trickle),
    ]);
    // Meanwhile: ordinary uploads one after another, and one slow-but-sufficient (4 KB / 100 ms).
    const sufficient = trickleUpload(target(), 'put', 'steady/put', {
      fileBytes: 120 * 1024,
      pieceBytes: 4 * 1024,
      intervalMs: 100,
      maxMs: 15_000,
    });
    const normal: number[] = [];
    for (let n = 0; n < 10; n += 1) {
      normal.push((await putObject(target(), `normal/${n}`, buildBody(n, 256 * 1024))).status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [put, post] = await attack;
    const steady = await sufficient;
    t.diagnostic(`trickled put: ${JSON.stringify(put)}`);
    t.diagnostic(`trickled post: ${JSON.stringify(post)}`);
    t.diagnostic(`steady: ${JSON.stringify(steady)}; normal: ${normal.join(' ')}`);
    for (const result of [put, post]) {
      assert.equal(result.status, 400);
      assert.equal(result.code, 'RequestTimeout');
      assert.equal(result.closedByServer, true);
      // One window of grace, one window judged; slack for a loaded machine.
      assert.ok(result.openMs >= bodyRateWindowMs && result.openMs < 5_000, `${result.openMs} ms`);
      assert.ok(result.bytesSent < trickle.fileBytes);
    }
    assert.equal(steady.status, 200, `the steady upload: ${JSON.stringify(steady)}`);
    assert.deepEqual(normal, Array<number>(10).fill(200));
    // The trickled uploads' temp files are gone, and they were never stored.
    assert.deepEqual(await readdir(join(root, 'data', 'tmp')), []);
    const head = await putObject(target(), 'after', buildBody(99, 1024));
    assert.equal(head.status, 200);
  });
});
