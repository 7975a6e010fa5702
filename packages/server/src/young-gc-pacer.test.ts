import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { YoungGcPacer } from './young-gc-pacer.js';

describe('YoungGcPacer', () => {
  it('asks for one minor collection per pace of bytes, counted across all callers', () => {
    const calls: unknown[] = [];
    const pacer = new YoungGcPacer((options) => calls.push(options), 1000);
    for (let i = 0; i < 25; i++) pacer.note(100); // 2 500 bytes from many small chunks
    assert.deepEqual(calls, [{ type: 'minor' }, { type: 'minor' }]);
    pacer.note(5000); // one large chunk: one collection, the pace starts again
    assert.equal(calls.length, 3);
  });

  it('does nothing when no collector is exposed (node started without --expose-gc)', () => {
    const pacer = new YoungGcPacer(undefined, 1);
    assert.doesNotThrow(() => pacer.note(1_000_000));
  });
});
