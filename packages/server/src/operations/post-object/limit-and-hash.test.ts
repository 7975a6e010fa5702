import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OssError, crc64Ecma } from '@upcall/protocol';
import { LimitAndHash } from './limit-and-hash.js';

async function run(
  chunks: Buffer[],
  maxBytes: number,
  keepHeadBytes = 0,
  offloadMinBytes?: number,
): Promise<{ limiter: LimitAndHash; passed: number; error: unknown }> {
  const limiter = new LimitAndHash({
    maxBytes,
    keepHeadBytes,
    ...(offloadMinBytes === undefined ? {} : { offloadMinBytes }),
  });
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

describe('LimitAndHash hashing large files on the worker thread', () => {
  const patterned = (length: number, salt: number): Buffer =>
    Buffer.from(Array.from({ length }, (_, i) => (i * 151 + salt * 7 + (i >>> 9)) & 0xff));

  it('reports the same checksums as the main-thread hasher for a file past the offload size', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => patterned(100_000 + i * 997, i));
    const all = Buffer.concat(chunks);
    const offloaded = await run(chunks, all.length, 0, 64 * 1024);
    const inline = await run(chunks, all.length, 0, Number.POSITIVE_INFINITY);
    assert.equal(offloaded.error, undefined);
    assert.equal(offloaded.passed, all.length);
    assert.deepEqual(offloaded.limiter.digest, inline.limiter.digest);
    assert.equal(
      offloaded.limiter.digest?.etagHex,
      createHash('md5').update(all).digest('hex').toUpperCase(),
    );
    assert.equal(offloaded.limiter.digest?.crc64, crc64Ecma(all));
  });

  it('keeps the order of chunks larger than a worker slot', async () => {
    const chunks = [patterned(10, 1), patterned(3 * 1024 * 1024 + 5, 2), patterned(700_000, 3)];
    const all = Buffer.concat(chunks);
    const { limiter, error } = await run(chunks, all.length, 0, 1024);
    assert.equal(error, undefined);
    assert.equal(limiter.digest?.crc64, crc64Ecma(all));
    assert.equal(limiter.digest?.contentMd5, createHash('md5').update(all).digest('base64'));
    assert.equal(limiter.digest?.size, all.length);
  });

  it('fails with EntityTooLarge past maxBytes while the worker is hashing', async () => {
    const chunks = Array.from({ length: 10 }, (_, i) => patterned(500_000, i));
    const { error, passed } = await run(chunks, 2_600_000, 0, 1024);
    assert.ok(error instanceof OssError);
    assert.equal(error.code, 'EntityTooLarge');
    assert.equal(passed, 2_500_000);
  });
});
