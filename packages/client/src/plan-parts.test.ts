import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { minPartSizeBytes, planParts, resolvePartSize } from './plan-parts.js';

describe('planParts', () => {
  it('covers the file with consecutive parts, the last one shorter', () => {
    assert.deepEqual(planParts(250, 100), [
      { partNumber: 1, start: 0, end: 100 },
      { partNumber: 2, start: 100, end: 200 },
      { partNumber: 3, start: 200, end: 250 },
    ]);
  });

  it('plans one empty part for an empty file', () => {
    assert.deepEqual(planParts(0, minPartSizeBytes), [{ partNumber: 1, start: 0, end: 0 }]);
  });

  it('refuses more than 10 000 parts', () => {
    assert.throws(() => planParts(10_001 * 100, 100), RangeError);
  });
});

describe('resolvePartSize', () => {
  it('keeps a requested size that fits in 10 000 parts', () => {
    assert.equal(resolvePartSize(1024 ** 3, 8 * 1024 ** 2), 8 * 1024 ** 2);
  });

  it('grows to whole MiB when the file would need more than 10 000 parts', () => {
    const size = 100 * 1024 ** 3; // 100 GiB at 8 MiB would be 12 800 parts
    const partSize = resolvePartSize(size, 8 * 1024 ** 2);
    assert.equal(partSize, 11 * 1024 ** 2);
    assert.ok(Math.ceil(size / partSize) <= 10_000);
  });

  it('refuses parts under OSS’s 100 KB minimum or fractional sizes', () => {
    assert.throws(() => resolvePartSize(1000, minPartSizeBytes - 1), RangeError);
    assert.throws(() => resolvePartSize(1000, minPartSizeBytes + 0.5), RangeError);
  });
});
