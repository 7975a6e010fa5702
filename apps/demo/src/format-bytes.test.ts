import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatRate } from './format-bytes.js';

describe('formatBytes', () => {
  it('writes binary units with at most one decimal and no trailing .0', () => {
    assert.deepEqual([0, 1, 1023, 1024, 1536, 20 * 1024 * 1024, 1234567, 150 * 1024].map(formatBytes), [
      '0 bytes',
      '1 byte',
      '1023 bytes',
      '1 KiB',
      '1.5 KiB',
      '20 MiB',
      '1.2 MiB',
      '150 KiB',
    ]);
  });

  it('shows no rate until one is known', () => {
    assert.equal(formatRate(0), '');
    assert.equal(formatRate(2 * 1024 * 1024), '2 MiB/s');
  });
});
