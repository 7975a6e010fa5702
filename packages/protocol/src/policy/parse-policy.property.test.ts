// Property-based fuzzing of the POST policy parser and builder (oss-protocol §4, threats §B2, §B7,
// §C1.8–C1.11, §C6.59): parsePolicy is total (only 400 InvalidPolicyDocument escapes it), and a policy
// built from hostile strings parses back to exactly the conditions it was built from. Runs are seeded
// (FC_SEED / FC_RUNS override) so a failure is reproducible from the printed seed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OssError } from '../errors/oss-error.js';
import { encodeBase64, encodeBase64Utf8 } from './base64-codec.js';
import { buildPostPolicy, type PostPolicyConditionInput } from './build-post-policy.js';
import { parsePolicy } from './parse-policy.js';
import { escapePolicyValue } from './policy-value-escape.js';
import type { PolicyCondition } from './post-policy.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

/** Characters that broke policy builders and checkers elsewhere (minio-java #1174, threats §B2). */
const hostileChar = fc.oneof(
  fc.constantFrom('"', '\\', '$', '{', '}', '[', ']', ',', ':', '/', '%', '+', ' ', '\u0000', '\n'),
  fc.constantFrom(
    '\r',
    '\t',
    '\u001f',
    '\u007f',
    '\u2028',
    '\ufeff',
    'é',
    'İ',
    'ß',
    '😀',
    '\ud800',
    '\udfff',
  ),
  fc.constantFrom('"},{"bucket":"x', '"]],"conditions":[', '\\$', '${filename}', '\\u0022'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);
const hostileString = (maxParts = 16): fc.Arbitrary<string> =>
  fc.array(hostileChar, { maxLength: maxParts }).map((parts) => parts.join(''));

/** A field name the parser accepts: non-empty once an optional leading `$` is removed. */
const fieldName = hostileString(8).filter((name) => (name.startsWith('$') ? name.slice(1) : name) !== '');
/** `bucket` is exact-only (threats §C1.12): starts-with/in/not-in on it are refused, so keep it out. */
const nonBucketFieldName = fieldName.filter((name) => canonicalField(name) !== 'bucket');

function canonicalField(name: string): string {
  return (name.startsWith('$') ? name.slice(1) : name).toLowerCase();
}

const byteCount = fc.oneof(
  fc.nat({ max: 5 * 1024 ** 3 }),
  fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: Number.MAX_SAFE_INTEGER - 2, max: Number.MAX_SAFE_INTEGER }),
);

const conditionInput: fc.Arbitrary<PostPolicyConditionInput> = fc.oneof(
  fc.tuple(fc.constant('eq' as const), fieldName, hostileString()),
  fc.tuple(fc.constant('starts-with' as const), nonBucketFieldName, hostileString()),
  fc.tuple(fc.constantFrom('in' as const, 'not-in' as const), nonBucketFieldName, fc.array(hostileString(6))),
  fc
    .tuple(byteCount, byteCount)
    .map(([a, b]): PostPolicyConditionInput => ['content-length-range', Math.min(a, b), Math.max(a, b)]),
  fc.tuple(fieldName, hostileString()).map(([name, value]) => ({ [name]: value })),
);

/** The reference meaning of `\$` (oss-protocol §4.4): every `\$` is a literal `$`, nothing else changes. */
const unescapeReference = (value: string): string => value.replace(/\\\$/g, '$');

type ExpectedCondition =
  | { kind: 'eq'; form: 'object' | 'list'; field: string; value: string }
  | { kind: 'starts-with'; field: string; prefix: string }
  | { kind: 'in' | 'not-in'; field: string; values: string[] }
  | { kind: 'content-length-range'; minBytes: number; maxBytes: number };

function expectedCondition(
  input: PostPolicyConditionInput,
  decode: (v: string) => string,
): ExpectedCondition {
  if (!Array.isArray(input)) {
    const [[name, value]] = Object.entries(input) as [[string, string]];
    return { kind: 'eq', form: 'object', field: canonicalField(name), value: decode(value) };
  }
  const [operator, a, b] = input as readonly [string, unknown, unknown];
  if (operator === 'content-length-range') {
    return { kind: 'content-length-range', minBytes: a as number, maxBytes: b as number };
  }
  const field = canonicalField(a as string);
  if (operator === 'eq') return { kind: 'eq', form: 'list', field, value: decode(b as string) };
  if (operator === 'starts-with') return { kind: 'starts-with', field, prefix: decode(b as string) };
  return { kind: operator as 'in' | 'not-in', field, values: (b as string[]).map(decode) };
}

/** The parsed condition without `rendering` (an error-message detail, checked separately). */
function withoutRendering(condition: PolicyCondition): ExpectedCondition {
  const { rendering, ...rest } = condition;
  assert.equal(typeof rendering, 'string');
  return rest as ExpectedCondition;
}

function escapeInput(input: PostPolicyConditionInput): PostPolicyConditionInput {
  if (!Array.isArray(input)) {
    return Object.fromEntries(
      Object.entries(input as Record<string, string>).map(([n, v]) => [n, escapePolicyValue(v)]),
    );
  }
  const [operator, name, value] = input as readonly [string, string, unknown];
  if (operator === 'content-length-range') return input;
  const escaped = Array.isArray(value)
    ? (value as string[]).map(escapePolicyValue)
    : escapePolicyValue(value as string);
  return [operator, name, escaped] as unknown as PostPolicyConditionInput;
}

/** The only exception parsePolicy may throw (oss-protocol §4.6). */
function assertOnlyInvalidPolicy(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof OssError, `not an OssError: ${String(error)}`);
    assert.equal(error.code, 'InvalidPolicyDocument', error.message);
    assert.equal(error.status, 400);
    assert.match(error.message, /^Invalid Policy: /);
  }
}

const expiration = fc.date({
  min: new Date('1970-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('parsePolicy is total over hostile input (threats §C1.9–C1.11)', () => {
  it('throws nothing but InvalidPolicyDocument for arbitrary strings as the policy field', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        assertOnlyInvalidPolicy(() => parsePolicy(text));
      }),
      runs(500),
    );
  });

  it('throws nothing but InvalidPolicyDocument for the Base64 of arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assertOnlyInvalidPolicy(() => parsePolicy(encodeBase64(bytes)));
      }),
      runs(500),
    );
  });

  it('throws nothing but InvalidPolicyDocument for the Base64 of arbitrary JSON values', () => {
    const member = fc.oneof(fc.constantFrom('expiration', 'conditions', '__proto__'), fc.string());
    const conditionLike = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.tuple(
        fc.constantFrom('eq', 'starts-with', 'in', 'not-in', 'content-length-range', 'EQ', ''),
        fc.jsonValue({ maxDepth: 2 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    );
    const policyLike = fc.dictionary(
      member,
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.array(conditionLike, { maxLength: 5 }),
        expiration.map((d) => d.toISOString()),
      ),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 6 }), policyLike), (value) => {
        assertOnlyInvalidPolicy(() => parsePolicy(encodeBase64Utf8(JSON.stringify(value) ?? 'null')));
      }),
      runs(500),
    );
  });

  it('throws nothing but InvalidPolicyDocument for one-character edits of a valid policy text', () => {
    const valid = '{"expiration":"2030-01-01T00:00:00.000Z","conditions":[{"bucket":"b"},["eq","$key","a"]]}';
    const edit = fc.record({
      at: fc.nat({ max: valid.length }),
      drop: fc.nat({ max: 3 }),
      insert: fc.oneof(
        fc.constantFrom('', '"', ',', '}', ']', '[', '{', '\\', ',"conditions":[]', ',"expiration":"x"'),
        fc.string({ unit: 'binary', maxLength: 3 }),
      ),
    });
    fc.assert(
      fc.property(edit, ({ at, drop, insert }) => {
        const text = valid.slice(0, at) + insert + valid.slice(at + drop);
        assertOnlyInvalidPolicy(() => parsePolicy(encodeBase64Utf8(text)));
      }),
      runs(500),
    );
  });
});

describe('buildPostPolicy → parsePolicy round-trips hostile values exactly (threats §B2, §C6.59)', () => {
  it('parses back the same conditions, with `\\$` read as a literal `$`', () => {
    fc.assert(
      fc.property(
        expiration,
        fc.array(conditionInput, { minLength: 1, maxLength: 8 }),
        (date, conditions) => {
          const built = buildPostPolicy({ expiration: date, conditions });
          const parsed = parsePolicy(built.base64);
          assert.equal(parsed.expirationMs, date.getTime());
          assert.deepEqual(
            parsed.conditions.map(withoutRendering),
            conditions.map((c) => expectedCondition(c, unescapeReference)),
          );
        },
      ),
      runs(400),
    );
  });

  it('returns every value verbatim when the builder escapes `$` with escapePolicyValue', () => {
    fc.assert(
      fc.property(fc.array(conditionInput, { minLength: 1, maxLength: 8 }), (conditions) => {
        const built = buildPostPolicy({
          expiration: new Date('2030-01-01T00:00:00Z'),
          conditions: conditions.map(escapeInput),
        });
        assert.deepEqual(
          parsePolicy(built.base64).conditions.map(withoutRendering),
          conditions.map((c) => expectedCondition(c, (v) => v)),
        );
      }),
      runs(400),
    );
  });

  it('never lets an injected value add a bucket condition or change the condition count', () => {
    const injection = fc.constantFrom(
      '"},{"bucket":"other',
      '"],["eq","$bucket","other"],["eq","$key","',
      '\\"},{\\"bucket\\":\\"other',
      '\u0000"}],"conditions":[{"bucket":"other"}]}',
    );
    fc.assert(
      fc.property(hostileString(), injection, hostileString(), (before, payload, after) => {
        const key = before + payload + after;
        const built = buildPostPolicy({
          expiration: new Date('2030-01-01T00:00:00Z'),
          conditions: [{ bucket: 'mine' }, ['starts-with', '$key', key]],
        });
        const { conditions } = parsePolicy(built.base64);
        assert.equal(conditions.length, 2);
        assert.deepEqual(
          conditions.filter((c) => c.kind !== 'content-length-range' && c.field === 'bucket').length,
          1,
        );
        const [, startsWith] = conditions;
        assert.equal(
          startsWith?.kind === 'starts-with' ? startsWith.prefix : undefined,
          unescapeReference(key),
        );
      }),
      runs(300),
    );
  });
});
