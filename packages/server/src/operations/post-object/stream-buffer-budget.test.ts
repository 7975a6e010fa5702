import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StreamBufferBudget } from './stream-buffer-budget.js';

describe('StreamBufferBudget', () => {
  it('gives the configured size to the first uploads in flight and the small size beyond them', () => {
    const budget = new StreamBufferBudget({ roomyBytes: 262144, roomyUploads: 2, crowdedBytes: 65536 });
    const first = budget.acquire();
    const second = budget.acquire();
    const third = budget.acquire();
    assert.deepEqual(
      [first, second, third].map((lease) => lease.highWaterMarkBytes),
      [262144, 262144, 65536],
    );
    third.release();
    assert.equal(budget.acquire().highWaterMarkBytes, 65536, 'a small lease frees no large one');
    first.release();
    first.release(); // a second release must not free a slot it does not hold
    assert.equal(budget.acquire().highWaterMarkBytes, 262144);
    assert.equal(budget.acquire().highWaterMarkBytes, 65536);
  });

  it('never hands out more than the configured size', () => {
    const budget = new StreamBufferBudget({ roomyBytes: 16384, roomyUploads: 0 });
    assert.equal(budget.acquire().highWaterMarkBytes, 16384);
  });
});
