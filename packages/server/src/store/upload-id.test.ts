import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newUploadId } from './upload-id.js';

describe('newUploadId', () => {
  it('makes 32 upper-case hex characters, like OSS upload ids', () => {
    assert.match(newUploadId(Date.now()), /^[0-9A-F]{32}$/);
    assert.match(newUploadId(0), /^000000000000[0-9A-F]{20}$/);
  });

  it('sorts ids by initiation time, so (key, uploadId) order is initiation order', () => {
    const times = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 2 ** 47 - 1];
    const ids = times.map(newUploadId);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(ids[0]!.slice(0, 12), (1_700_000_000_000).toString(16).toUpperCase().padStart(12, '0'));
  });

  it('never repeats within one millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newUploadId(1_700_000_000_000)));
    assert.equal(ids.size, 1000);
  });
});
