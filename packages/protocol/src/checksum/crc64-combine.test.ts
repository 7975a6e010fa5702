import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { combineCrc64 } from './crc64-combine.js';
import { crc64Ecma } from './crc64-ecma.js';

// Seeded PRNG (mulberry32) so a failure reproduces.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

describe('combineCrc64', () => {
  it('combines the CRC-64/XZ check string split at every position', () => {
    const data = new TextEncoder().encode('123456789');
    for (let cut = 0; cut <= data.length; cut += 1) {
      const a = data.subarray(0, cut);
      const b = data.subarray(cut);
      assert.equal(combineCrc64(crc64Ecma(a), crc64Ecma(b), b.length), '11051210869376104954', `cut ${cut}`);
    }
  });

  it('equals the CRC of the whole for random data cut into random parts', () => {
    const random = seededRandom(64);
    for (let round = 0; round < 25; round += 1) {
      const data = randomBytes(random, 1 + Math.floor(random() * 300_000));
      let crc = crc64Ecma(new Uint8Array(0));
      for (let start = 0; start < data.length;) {
        const end = Math.min(data.length, start + Math.floor(random() * 70_000));
        const part = data.subarray(start, end);
        crc = combineCrc64(crc, crc64Ecma(part), part.length);
        start = end;
      }
      assert.equal(crc, crc64Ecma(data), `round ${round}, ${data.length} bytes`);
    }
  });

  it('equals the CRC of the whole when a 3 MiB part follows', () => {
    const head = new TextEncoder().encode('hi oss');
    const part = new Uint8Array(3 * 1024 * 1024).fill(0xa5);
    const whole = new Uint8Array(head.length + part.length);
    whole.set(head);
    whole.set(part, head.length);
    assert.equal(combineCrc64(crc64Ecma(head), crc64Ecma(part), part.length), crc64Ecma(whole));
  });

  it('composes for lengths far beyond anything buffered: 5 GiB of zeros appended at once or in halves', () => {
    // crcB = '0' leaves only the "append lengthB zero-valued register bytes" operator, which must compose.
    const gib5 = 5 * 1024 ** 3;
    const once = combineCrc64('8707180448768400016', '0', gib5);
    const halves = combineCrc64(combineCrc64('8707180448768400016', '0', gib5 / 2), '0', gib5 / 2);
    assert.equal(once, halves);
    assert.notEqual(once, '8707180448768400016');
  });

  it('returns crcA when B is empty and crcB when A is empty', () => {
    const hi = crc64Ecma(new TextEncoder().encode('hi oss'));
    assert.equal(hi, '8707180448768400016');
    assert.equal(combineCrc64(hi, '0', 0), hi);
    assert.equal(combineCrc64('0', hi, 6), hi);
  });

  it('refuses CRCs that are not unsigned 64-bit decimal strings and bad lengths', () => {
    for (const bad of ['', '-1', '18446744073709551616', '0x10', '01', '1.5', ' 1'])
      assert.throws(() => combineCrc64(bad, '0', 0), RangeError, bad);
    assert.throws(() => combineCrc64('0', 'abc', 0), RangeError);
    for (const length of [-1, 1.5, Number.NaN, 2 ** 53])
      assert.throws(() => combineCrc64('0', '0', length), RangeError, String(length));
  });
});
