import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planAssembly, segmentBytes, type PlannedPart, type Segment } from './s3-assemble-plan.js';

// Small numbers stand for S3's limits: parts ≥ 5 (but the last), ≤ 20, streamed in parts of 8.
const limits = { minPartBytes: 5, streamPartBytes: 8, maxPartBytes: 20, maxParts: 10_000 };

function whole(key: string, size: number): Segment {
  return { key, start: 0, end: size - 1 };
}

function describePlan(plan: readonly PlannedPart[]): string[] {
  return plan.map((part) =>
    part.kind === 'copy'
      ? `copy ${part.segment.key}[${part.segment.start}-${part.segment.end}]`
      : `stream ${part.segments.map((s) => `${s.key}[${s.start}-${s.end}]`).join('+')}`,
  );
}

/** The plan covers every input byte exactly once, in order, and keeps S3's part-size rules. */
function assertValidPlan(plan: readonly PlannedPart[], segments: readonly Segment[]): void {
  const covered = plan.flatMap((part) => (part.kind === 'copy' ? [part.segment] : part.segments));
  const expand = (list: readonly Segment[]) =>
    list.flatMap((s) => Array.from({ length: segmentBytes(s) }, (_, i) => `${s.key}:${s.start + i}`));
  assert.deepEqual(expand(covered), expand(segments));
  plan.forEach((part, index) => {
    const size =
      part.kind === 'copy'
        ? segmentBytes(part.segment)
        : part.segments.reduce((n, s) => n + segmentBytes(s), 0);
    assert.equal(part.size, size);
    assert.ok(size <= limits.maxPartBytes, `part ${index + 1} is larger than the maximum`);
    if (index < plan.length - 1) assert.ok(size >= limits.minPartBytes, `part ${index + 1} is too small`);
  });
}

describe('planAssembly', () => {
  it('streams small parts together into parts of the stream size, the last one shorter', () => {
    const segments = ['a', 'b', 'c', 'd', 'e'].map((key) => whole(key, 3));
    const plan = planAssembly(segments, limits);
    assert.deepEqual(describePlan(plan), ['stream a[0-2]+b[0-2]+c[0-1]', 'stream c[2-2]+d[0-2]+e[0-2]']);
    assertValidPlan(plan, segments);
  });

  it('copies a part that is long enough on its own inside the backend', () => {
    const segments = [whole('big', 12), whole('small', 2)];
    assert.deepEqual(describePlan(planAssembly(segments, limits)), ['copy big[0-11]', 'stream small[0-1]']);
  });

  it('tops up a short run from the next long part and copies the rest of it', () => {
    const segments = [whole('a', 2), whole('big', 12)];
    const plan = planAssembly(segments, limits);
    assert.deepEqual(describePlan(plan), ['stream a[0-1]+big[0-2]', 'copy big[3-11]']);
    assertValidPlan(plan, segments);
  });

  it('streams a long part whose remainder after the top-up would be too short to copy', () => {
    const segments = [whole('a', 2), whole('mid', 6), whole('z', 1)];
    const plan = planAssembly(segments, limits);
    assert.deepEqual(describePlan(plan), ['stream a[0-1]+mid[0-5]', 'stream z[0-0]']);
    assertValidPlan(plan, segments);
  });

  it('splits a part above the maximum into equal copies', () => {
    const plan = planAssembly([whole('huge', 45)], limits);
    assert.deepEqual(describePlan(plan), ['copy huge[0-14]', 'copy huge[15-29]', 'copy huge[30-44]']);
  });

  it('ignores empty parts and plans nothing for an empty object', () => {
    assert.deepEqual(planAssembly([whole('empty', 0)], limits), []);
    assert.deepEqual(describePlan(planAssembly([whole('e', 0), whole('a', 3)], limits)), ['stream a[0-2]']);
  });

  it('falls back to streaming larger parts when copying would need more parts than allowed', () => {
    const segments = Array.from({ length: 6 }, (_, i) =>
      whole(i % 2 === 0 ? `s${i}` : `b${i}`, i % 2 === 0 ? 1 : 5),
    );
    assert.equal(planAssembly(segments, limits).length, 3, 'with copies: stream, copy, stream');
    const plan = planAssembly(segments, { ...limits, maxParts: 2 });
    assert.equal(plan.length, 2);
    assert.ok(plan.every((part) => part.kind === 'stream'));
    assertValidPlan(plan, segments);
  });

  it('keeps every part within the limits for many mixed layouts', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const sizes = Array.from(
        { length: 1 + (seed % 9) },
        (_, i) => ((seed * 7 + i * 13) % 23) + (i % 3 === 0 ? 0 : 1),
      );
      const segments = sizes.map((size, i) => whole(`p${i}`, size));
      assertValidPlan(
        planAssembly(segments, limits),
        segments.filter((s) => segmentBytes(s) > 0),
      );
    }
  });
});
