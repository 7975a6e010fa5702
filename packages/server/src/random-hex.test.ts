import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomHex } from './random-hex.js';

describe('randomHex', () => {
  it('gives hex of the asked length, never the same id twice across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = randomHex(16);
      assert.match(id, /^[0-9a-f]{32}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 5000);
  });

  it('spreads its first character over all 16 values (blob ids shard by their first two)', () => {
    const firsts = new Set(Array.from({ length: 2000 }, () => randomHex(12)[0]));
    assert.equal(firsts.size, 16);
  });

  it('refuses more than 256 bytes at once', () => {
    assert.throws(() => randomHex(257), RangeError);
  });
});
