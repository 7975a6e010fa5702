import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPartUrlCache } from './part-url-cache.js';
import type { SignedPartUrlBatch } from './multipart-endpoints.js';

function signer(expiresAtMs: () => number) {
  const calls: number[][] = [];
  const sign = (partNumbers: readonly number[]): Promise<SignedPartUrlBatch> => {
    calls.push([...partNumbers]);
    return Promise.resolve({
      urls: partNumbers.map((n) => ({ partNumber: n, url: `u${n}#${calls.length}` })),
      expiresAtMs: expiresAtMs(),
    });
  };
  return { sign, calls };
}

describe('part URL cache', () => {
  it('signs the asked part together with the upcoming ones, in one request for concurrent callers', async () => {
    let now = 0;
    const { sign, calls } = signer(() => now + 900_000);
    const cache = createPartUrlCache({ sign, upcoming: () => [2, 3, 4], now: () => now, batchSize: 3 });
    const urls = await Promise.all([cache.get(1), cache.get(2), cache.get(3)]);
    assert.deepEqual(urls, ['u1#1', 'u2#1', 'u3#1']);
    assert.deepEqual(calls, [[1, 2, 3]]);
    now = 10_000;
    assert.equal(await cache.get(4), 'u4#2');
  });

  it('signs again when a URL is about to expire or was refused as expired', async () => {
    let now = 0;
    const { sign, calls } = signer(() => now + 120_000);
    const cache = createPartUrlCache({ sign, upcoming: () => [], now: () => now, marginMs: 60_000 });
    assert.equal(await cache.get(1), 'u1#1');
    now = 61_000;
    assert.equal(await cache.get(1), 'u1#2');
    cache.invalidate(1);
    assert.equal(await cache.get(1), 'u1#3');
    assert.equal(calls.length, 3);
  });

  it('fails when the app signs no URL for the part', async () => {
    const cache = createPartUrlCache({
      sign: () => Promise.resolve({ urls: [], expiresAtMs: 1e12 }),
      upcoming: () => [],
      now: () => 0,
    });
    await assert.rejects(cache.get(7), /no usable URL for part 7/);
  });
});
