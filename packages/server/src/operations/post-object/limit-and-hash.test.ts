import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OssError } from '@upcall/protocol';
import { LimitAndHash } from './limit-and-hash.js';

async function run(
  chunks: Buffer[],
  maxBytes: number,
  keepHeadBytes = 0,
): Promise<{ limiter: LimitAndHash; passed: number; error: unknown }> {
  const limiter = new LimitAndHash({ maxBytes, keepHeadBytes });
  let passed = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      passed += chunk.length;
      callback();
    },
  });
  try {
    await pipeline(Readable.from(chunks), limiter, sink);
    return { limiter, passed, error: undefined };
  } catch (error) {
    return { limiter, passed, error };
  }
}

describe('LimitAndHash', () => {
  it('computes the OSS checksums of everything it passes on', async () => {
    const { limiter, passed, error } = await run([Buffer.from('hi '), Buffer.from('oss')], 100);
    assert.equal(error, undefined);
    assert.equal(passed, 6);
    assert.deepEqual(limiter.digest, {
      etag: '"B22E0DC370A7F7067FACF5F75D7FA385"',
      etagHex: 'B22E0DC370A7F7067FACF5F75D7FA385',
      contentMd5: 'si4Nw3Cn9wZ/rPX3XX+jhQ==',
      crc64: '8707180448768400016',
      size: 6,
    });
  });

  it('accepts exactly maxBytes and fails with EntityTooLarge on the next byte, inside a chunk', async () => {
    const exact = await run([Buffer.alloc(40), Buffer.alloc(60)], 100);
    assert.equal(exact.error, undefined);
    const over = await run([Buffer.alloc(40), Buffer.alloc(61), Buffer.alloc(1000)], 100);
    assert.ok(over.error instanceof OssError);
    assert.equal(over.error.code, 'EntityTooLarge');
    assert.equal(over.error.ec, '0006-00000003');
    assert.equal(over.passed, 40, 'the chunk that crosses the limit is not passed on');
  });

  it('keeps only the first keepHeadBytes bytes, copied out of the chunks', async () => {
    const chunks = [Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ijk')];
    const { limiter } = await run(chunks, 100, 5);
    chunks[0]?.fill(0x7a);
    assert.equal(limiter.head.toString(), 'abcde');
    const none = await run([Buffer.from('abc')], 100, 0);
    assert.equal(none.limiter.head.length, 0);
  });
});
