// Property-based checks of the policy checker (oss-protocol §4.4, §4.5; threats §B7, §C1.7, §C2.14–C2.17):
// checkPolicy is total and deterministic and agrees with a small reference model written from the protocol
// text, not from the implementation; starts-with is checked on its own; content-length-range verdicts are
// exact at every boundary (§C2.22, §C2.23). Seeded (FC_SEED / FC_RUNS override).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OssError } from '../errors/oss-error.js';
import { buildPostPolicy, type PostPolicyConditionInput } from './build-post-policy.js';
import { checkContentLength, checkPolicy, policyConditionFailedPrefix } from './check-policy.js';
import { parsePolicy } from './parse-policy.js';
import { escapePolicyValue } from './policy-value-escape.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const expirationMs = Date.UTC(2030, 0, 1);
const fieldNames = ['key', 'content-type', 'x-oss-meta-a', 'x:tag', 'success_action_status'] as const;

const valueChar = fc.oneof(
  fc.constantFrom('a', 'A', 'b', '/', '.', '$', '\\', '"', ' ', '\u0000', 'é', 'É', '😀', '\ud800'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const value = fc.array(valueChar, { maxLength: 6 }).map((parts) => parts.join(''));

type Rule =
  | { op: 'eq' | 'starts-with'; field: string; value: string }
  | { op: 'in' | 'not-in'; field: string; values: string[] }
  | { op: 'bucket'; value: string };

const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({
    op: fc.constantFrom('eq' as const, 'starts-with' as const),
    field: fc.constantFrom(...fieldNames),
    value,
  }),
  fc.record({
    op: fc.constantFrom('in' as const, 'not-in' as const),
    field: fc.constantFrom(...fieldNames),
    values: fc.array(value, { maxLength: 3 }),
  }),
  fc.record({ op: fc.constant('bucket' as const), value: fc.constantFrom('uploads', 'other', 'Uploads') }),
);

/** Field names are spelled in random case with an optional `$`: both are insignificant (§4.4). */
function toInput(r: Rule, spell: (name: string) => string): PostPolicyConditionInput {
  if (r.op === 'bucket') return { bucket: escapePolicyValue(r.value) };
  if ('values' in r) return [r.op, spell(r.field), r.values.map(escapePolicyValue)];
  return [r.op, spell(r.field), escapePolicyValue(r.value)];
}

/** Reference semantics, written from oss-protocol §4.4 and threats §C2.14–C2.17. */
function ruleHolds(r: Rule, fields: ReadonlyMap<string, string>, bucket: string): boolean {
  if (r.op === 'bucket') return bucket === r.value;
  const actual = fields.get(r.field);
  switch (r.op) {
    case 'eq':
      return actual === r.value;
    case 'starts-with':
      // An empty prefix admits every value, even an absent field (S3/OSS semantics, threats §C2.25).
      return r.value === '' || (actual !== undefined && actual.slice(0, r.value.length) === r.value);
    case 'in':
      return actual !== undefined && r.values.some((v) => v === actual);
    case 'not-in':
      return actual !== undefined && r.values.every((v) => v !== actual);
  }
}

/** The values a rule compares a field with. */
function ruleValues(r: Rule, field: string): string[] {
  if (r.op === 'bucket' || r.field !== field) return [];
  return 'values' in r ? r.values : [r.value];
}

/** Field values near the rules' own values (weighted towards exact), so that both verdicts occur often. */
function fieldsFor(rules: readonly Rule[]): fc.Arbitrary<Map<string, string>> {
  const entries = fieldNames.map((name): fc.Arbitrary<string | undefined> => {
    const own = rules.flatMap((r) => ruleValues(r, name));
    const near = own.length === 0 ? value : fc.constantFrom(...own);
    return fc.oneof(
      { arbitrary: near, weight: 6 },
      { arbitrary: fc.tuple(near, value).map(([a, b]) => a + b), weight: 2 },
      { arbitrary: near.map((v) => v.slice(0, -1)), weight: 1 },
      { arbitrary: near.map((v) => v.toUpperCase()), weight: 1 },
      { arbitrary: near.map((v) => `${v} `), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 1 },
    );
  });
  return fc.tuple(...entries).map((values) => {
    const fields = new Map<string, string>();
    fieldNames.forEach((name, i) => {
      const v = values[i];
      if (v !== undefined) fields.set(name, v);
    });
    return fields;
  });
}

const randomCase = fc.func(fc.boolean());

const scenario = fc.array(rule, { minLength: 1, maxLength: 6 }).chain((rules) =>
  fc.record({
    rules: fc.constant(rules),
    fields: fieldsFor(rules),
    bucket: fc.constantFrom('uploads', 'other'),
    nowMs: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: expirationMs - 1 }), weight: 4 },
      { arbitrary: fc.constantFrom(expirationMs - 1, expirationMs, expirationMs + 1), weight: 1 },
      { arbitrary: fc.integer({ min: expirationMs, max: 2 * expirationMs }), weight: 1 },
    ),
    dollar: fc.boolean(),
    upper: randomCase,
  }),
);

describe('checkPolicy against a reference model (oss-protocol §4.4, §4.5)', () => {
  it('passes exactly when the policy has not expired and every condition holds', () => {
    fc.assert(
      fc.property(scenario, ({ rules, fields, bucket, nowMs, dollar, upper }) => {
        const spell = (name: string): string =>
          (dollar ? '$' : '') + [...name].map((ch, i) => (upper(i, ch) ? ch.toUpperCase() : ch)).join('');
        const policy = parsePolicy(
          buildPostPolicy({
            expiration: new Date(expirationMs),
            conditions: rules.map((r) => toInput(r, spell)),
          }).base64,
        );
        const verdict = checkPolicy(policy, { fields, bucket, nowMs });
        const firstFailing = rules.findIndex((r) => !ruleHolds(r, fields, bucket));
        if (nowMs >= expirationMs) {
          assert.equal(verdict.ok, false);
          assert.equal(
            verdict.ok ? '' : verdict.error.message,
            'Invalid according to Policy: Policy expired.',
          );
          return;
        }
        assert.equal(verdict.ok, firstFailing === -1);
        if (!verdict.ok) {
          assert.equal(verdict.error.code, 'AccessDenied');
          assert.equal(verdict.error.status, 403);
          assert.equal(
            verdict.error.message,
            policyConditionFailedPrefix + policy.conditions[firstFailing]!.rendering,
          );
        }
      }),
      runs(500),
    );
  });

  it('is total and deterministic: the same input gives the same verdict and never throws', () => {
    fc.assert(
      fc.property(scenario, fc.string({ unit: 'binary' }), ({ rules, fields, nowMs }, bucket) => {
        const policy = parsePolicy(
          buildPostPolicy({
            expiration: new Date(expirationMs),
            conditions: rules.map((r) => toInput(r, (n) => n)),
          }).base64,
        );
        const input = { fields, bucket, nowMs };
        const first = checkPolicy(policy, input);
        assert.deepEqual(checkPolicy(policy, input), first);
        if (!first.ok) assert.ok(first.error instanceof OssError);
      }),
      runs(300),
    );
  });
});

describe('starts-with against a reference model (threats §C2.14)', () => {
  const check = (prefix: string, key: string | undefined): boolean => {
    const policy = parsePolicy(
      buildPostPolicy({
        expiration: new Date(expirationMs),
        conditions: [['starts-with', '$key', escapePolicyValue(prefix)]],
      }).base64,
    );
    const fields = new Map(key === undefined ? [] : [['key', key]]);
    return checkPolicy(policy, { fields, bucket: 'uploads', nowMs: 0 }).ok;
  };

  it('admits every key that extends the prefix', () => {
    fc.assert(
      fc.property(value, value, (prefix, rest) => {
        assert.equal(check(prefix, prefix + rest), true);
      }),
      runs(300),
    );
  });

  it('refuses a key that differs from the prefix in any code unit, case or length', () => {
    const edit = fc.record({ at: fc.nat(), replacement: fc.oneof(value, fc.constant('')) });
    fc.assert(
      fc.property(
        value.filter((p) => p !== ''),
        edit,
        value,
        (prefix, { at, replacement }, rest) => {
          const i = at % prefix.length;
          const changed = prefix.slice(0, i) + replacement + prefix.slice(i + 1);
          const key = changed + rest;
          assert.equal(check(prefix, key), key.slice(0, prefix.length) === prefix);
          assert.equal(check(prefix, prefix.toUpperCase() + rest), prefix.toUpperCase() === prefix);
          assert.equal(check(prefix, undefined), false);
        },
      ),
      runs(300),
    );
  });
});

describe('content-length-range boundaries (threats §C2.22, §C2.23)', () => {
  const bound = fc.oneof(
    fc.nat({ max: 10 }),
    fc.nat({ max: 5 * 1024 ** 3 }),
    fc.integer({ min: Number.MAX_SAFE_INTEGER - 3, max: Number.MAX_SAFE_INTEGER }),
  );
  const range = fc.tuple(bound, bound).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

  it('passes exactly min…max of every range (their intersection), else EntityTooSmall / EntityTooLarge', () => {
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 3 }), fc.nat(), (ranges, pick) => {
        const conditions = ranges.map(([min, max]): PostPolicyConditionInput => [
          'content-length-range',
          min,
          max,
        ]);
        const policy = parsePolicy(
          buildPostPolicy({ expiration: new Date(expirationMs), conditions }).base64,
        );
        const edges = ranges.flatMap(([min, max]) => [min - 1, min, min + 1, max - 1, max, max + 1]);
        const sizes = [...edges.filter((n) => n >= 0 && Number.isSafeInteger(n)), pick];
        const minAll = Math.max(...ranges.map(([min]) => min));
        const maxAll = Math.min(...ranges.map(([, max]) => max));
        for (const size of sizes) {
          const verdict = checkContentLength(policy, size);
          const fits = ranges.every(([min, max]) => size >= min && size <= max);
          assert.equal(verdict.ok, fits, `size ${size} in ${JSON.stringify(ranges)}`);
          if (!verdict.ok) {
            assert.equal(verdict.error.code, size > maxAll ? 'EntityTooLarge' : 'EntityTooSmall');
            assert.ok(size > maxAll || size < minAll);
          }
        }
      }),
      runs(400),
    );
  });

  it('accepts only unsigned safe JSON integers with min ≤ max, refusing the rest as InvalidPolicyDocument', () => {
    const numberText = fc.oneof(
      fc.nat().map(String),
      fc.constantFrom('0', '-0', '-1', '01', '1.0', '1.5', '1e3', '1E0', '0.0', '"5"', 'null', 'true', '[]'),
      fc.constantFrom(String(Number.MAX_SAFE_INTEGER), String(Number.MAX_SAFE_INTEGER + 1), '9'.repeat(30)),
      fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
    );
    fc.assert(
      fc.property(numberText, numberText, (min, max) => {
        const json = `{"expiration":"2030-01-01T00:00:00Z","conditions":[["content-length-range",${min},${max}]]}`;
        const plain = (t: string): boolean => /^(0|[1-9][0-9]*)$/.test(t) && Number.isSafeInteger(Number(t));
        const accepted = plain(min) && plain(max) && Number(min) <= Number(max);
        try {
          const policy = parsePolicy(Buffer.from(json).toString('base64'));
          assert.ok(accepted, `accepted ${min}, ${max}`);
          assert.deepEqual(policy.contentLengthRange, { minBytes: Number(min), maxBytes: Number(max) });
        } catch (error) {
          if (!(error instanceof OssError)) throw error;
          assert.equal(error.code, 'InvalidPolicyDocument');
          assert.ok(!accepted, `refused ${min}, ${max}: ${error.message}`);
        }
      }),
      runs(500),
    );
  });
});
