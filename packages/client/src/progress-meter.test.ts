import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProgressMeter } from './progress-meter.js';

function createClock(startMs = 1000): { now: () => number; advance: (ms: number) => void } {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms) => void (nowMs += ms) };
}

describe('createProgressMeter', () => {
  it('scales body bytes onto the file size and never goes backwards', () => {
    const clock = createClock();
    const meter = createProgressMeter({ totalBytes: 1000, attempt: 1, now: clock.now });
    clock.advance(100);
    assert.equal(meter.update(550, 1100)?.loaded, 500);
    clock.advance(100);
    assert.equal(meter.update(300, 1100), undefined, 'an older event is ignored');
    assert.equal(meter.current().loaded, 500);
    assert.equal(meter.update(1100, 1100)?.loaded, 1000);
    assert.equal(meter.current().total, 1000);
  });

  it('computes bytes per second over the sliding window only', () => {
    const clock = createClock();
    const meter = createProgressMeter({ totalBytes: 100_000, attempt: 2, now: clock.now, windowMs: 2000 });
    for (let second = 1; second <= 4; second++) {
      clock.advance(1000);
      meter.update(second * 10_000, 100_000); // 10 kB/s
    }
    assert.equal(meter.current().bytesPerSecond, 10_000);
    clock.advance(1000);
    const fast = meter.update(80_000, 100_000); // +40 kB in the last second
    // Window keeps the sample at 3 s (30 kB) and 5 s (80 kB): 50 kB over 2 s.
    assert.equal(fast?.bytesPerSecond, 25_000);
    assert.equal(fast?.attempt, 2);
  });

  it('reports zero speed until time has passed and completes to the file size', () => {
    const clock = createClock();
    const meter = createProgressMeter({ totalBytes: 10, attempt: 1, now: clock.now });
    assert.deepEqual(meter.current(), { loaded: 0, total: 10, bytesPerSecond: 0, attempt: 1 });
    assert.equal(meter.update(5, 0), undefined, 'an unknown body total is not guessed');
    clock.advance(500);
    assert.deepEqual(meter.complete(), { loaded: 10, total: 10, bytesPerSecond: 20, attempt: 1 });
    assert.equal(meter.complete(), undefined);
  });
});
