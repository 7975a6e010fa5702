import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sendFdRange } from './fs-pooled-send.js';

/** Copies each chunk only when it completes the write, later: a buffer reused too early shows up as wrong bytes. */
function lateCopyingSink(highWaterMark: number): { sink: Writable; received: () => Buffer } {
  const parts: Buffer[] = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      setImmediate(() => {
        parts.push(Buffer.from(chunk));
        done();
      });
    },
  });
  return { sink, received: () => Buffer.concat(parts) };
}

function withFile<T>(content: Buffer, use: (fd: number) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pooled-send-'));
  const path = join(dir, 'blob');
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  return use(fd).finally(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
}

describe('sendFdRange', () => {
  const content = randomBytes(1024 * 1024 + 4321); // several pooled buffers and a short tail

  it('sends the whole file byte for byte, reusing no buffer before the sink is done with it', async () => {
    await withFile(content, async (fd) => {
      for (let pass = 0; pass < 2; pass++) {
        const { sink, received } = lateCopyingSink(64 * 1024);
        assert.equal(await sendFdRange(fd, 0, content.length - 1, sink), true);
        await new Promise((resolve) => sink.once('finish', resolve));
        assert.ok(received().equals(content), `pass ${pass}`);
      }
    });
  });

  it('sends an inclusive byte range', async () => {
    await withFile(content, async (fd) => {
      const { sink, received } = lateCopyingSink(16 * 1024);
      await sendFdRange(fd, 300_000, 700_000, sink);
      await new Promise((resolve) => sink.once('finish', resolve));
      assert.ok(received().equals(content.subarray(300_000, 700_001)));
    });
  });

  it('ends an empty range at once', async () => {
    await withFile(Buffer.alloc(0), async (fd) => {
      const { sink, received } = lateCopyingSink(1024);
      assert.equal(await sendFdRange(fd, 0, -1, sink), true);
      await new Promise((resolve) => sink.once('finish', resolve));
      assert.equal(received().length, 0);
    });
  });

  it('rejects when the file is shorter than the range', async () => {
    await withFile(content.subarray(0, 1000), async (fd) => {
      const { sink } = lateCopyingSink(1024);
      await assert.rejects(sendFdRange(fd, 0, 1999, sink), /blob ended at byte 1000 of 2000/);
    });
  });

  it('stops reading and resolves false when the destination closes early', async () => {
    await withFile(content, async (fd) => {
      let writes = 0;
      const sink = new Writable({
        highWaterMark: 1,
        write(_chunk, _encoding, done) {
          writes++;
          setImmediate(() => sink.destroy());
          done();
        },
      });
      assert.equal(await sendFdRange(fd, 0, content.length - 1, sink), false);
      assert.ok(writes <= 2, `${writes} writes after the close`);
    });
  });
});
