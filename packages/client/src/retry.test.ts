import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeRetryDelayMs, isRetryableStatus, resolveRetryOptions, sleepWithSignal } from './retry.js';
import { isAbortError } from './upload-errors.js';

describe('computeRetryDelayMs', () => {
  it('doubles the step per retry with equal jitter, capped at maxDelayMs', () => {
    const low = resolveRetryOptions({ baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0 });
    const half = resolveRetryOptions({ baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0.5 });
    assert.deepEqual(
      [1, 2, 3, 4].map((retry) => computeRetryDelayMs(retry, low)),
      [500, 1000, 2000, 2500],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((retry) => computeRetryDelayMs(retry, half)),
      [750, 1500, 3000, 3750],
    );
  });

  it('refuses a maxAttempts below one', () => {
    assert.throws(() => resolveRetryOptions({ maxAttempts: 0 }), RangeError);
    assert.throws(() => resolveRetryOptions({ maxAttempts: 1.5 }), RangeError);
    assert.equal(resolveRetryOptions().maxAttempts, 3);
  });
});

describe('isRetryableStatus', () => {
  it('retries only 5xx answers', () => {
    assert.deepEqual([200, 203, 204, 400, 403, 409, 429, 500, 503].filter(isRetryableStatus), [500, 503]);
  });
});

describe('sleepWithSignal', () => {
  it('resolves after the delay', async () => {
    await sleepWithSignal(1, new AbortController().signal);
  });

  it('rejects with AbortError as soon as the signal fires, long before the delay', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleepWithSignal(60_000, controller.signal);
    controller.abort();
    await assert.rejects(sleeping, (error) => isAbortError(error));
    assert.ok(Date.now() - started < 5000);
  });

  it('rejects at once when the signal already fired', async () => {
    await assert.rejects(sleepWithSignal(60_000, AbortSignal.abort()), (error) => isAbortError(error));
  });
});
