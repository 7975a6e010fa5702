import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Crc64Ecma, crc64Ecma } from './crc64-ecma.js';

interface ChecksumVector {
  content: string;
  crc64ecma: string;
}
const vectorFile = new URL('../../../../test/vectors/checksums.json', import.meta.url);
const vectors = (JSON.parse(readFileSync(vectorFile, 'utf8')) as { vectors: ChecksumVector[] }).vectors;

// Byte-at-a-time BigInt CRC-64/XZ straight from the definition (reflected poly, init/xorout all ones):
// slow but obviously right, so it can judge the sliced implementation.
const mask64 = (1n << 64n) - 1n;
function referenceCrc64(data: Uint8Array): string {
  let crc = mask64;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0xc96c5795d7870f42n : crc >> 1n;
  }
  return (crc ^ mask64).toString();
}

// Seeded PRNG (mulberry32) so a failure reproduces: same data and chunking on every run.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function seededBytes(length: number, random: () => number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

describe('Crc64Ecma', () => {
  for (const vector of vectors) {
    it(`matches the checksum vector for ${JSON.stringify(vector.content)}`, () => {
      assert.equal(crc64Ecma(Buffer.from(vector.content, 'utf8')), vector.crc64ecma);
    });
  }

  it('gives the CRC-64/XZ check value for "123456789"', () => {
    assert.equal(crc64Ecma(Buffer.from('123456789')), '11051210869376104954');
  });

  it('agrees with the byte-at-a-time reference on random data split into odd-sized chunks', () => {
    const random = seededRandom(0x0551);
    for (let round = 0; round < 20; round++) {
      const data = seededBytes(1 + Math.floor(random() * 5000), random);
      const hasher = new Crc64Ecma();
      let offset = 0;
      while (offset < data.length) {
        const size = 1 + 2 * Math.floor(random() * 37); // odd sizes break 8-byte alignment
        hasher.update(data.subarray(offset, offset + size));
        offset += size;
      }
      assert.equal(hasher.digest(), referenceCrc64(data), `round ${round}, ${data.length} bytes`);
    }
  });

  it('reads a chunk that is a view at an unaligned offset into a larger buffer', () => {
    const backing = seededBytes(1031, seededRandom(7));
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 3, 1021);
    assert.equal(crc64Ecma(view), referenceCrc64(view));
  });

  it('produces values at or above 2^63 as unsigned decimals, not negative numbers', () => {
    const digest = crc64Ecma(Buffer.from('123456789'));
    assert.match(digest, /^[0-9]+$/);
    assert.ok(BigInt(digest) >= 1n << 63n);
  });

  it('lets digest() be called mid-stream without disturbing later updates', () => {
    const hasher = new Crc64Ecma().update(Buffer.from('1234'));
    assert.equal(hasher.digest(), referenceCrc64(Buffer.from('1234')));
    hasher.update(Buffer.from('56789'));
    assert.equal(hasher.digest(), '11051210869376104954');
  });

  it('returns "0" for no input', () => {
    assert.equal(new Crc64Ecma().digest(), '0');
  });
});
