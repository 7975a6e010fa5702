import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicy } from './parse-policy.js';
import { base64Of, policyWith, validExpiration } from './policy-test-helpers.js';

interface PolicyVector {
  readonly id: string;
  readonly policyJson: string;
  readonly policyBase64: string;
}

const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../../test/vectors/post-policy-signatures.json', import.meta.url), 'utf8'),
  ) as { vectors: PolicyVector[] }
).vectors;

const withConditions = (conditionsJson: string): string => base64Of(policyWith(conditionsJson));

describe('parsePolicy: golden vectors', () => {
  for (const vector of vectors) {
    it(`parses ${vector.id} and its base64 decodes to the recorded JSON`, () => {
      assert.equal(Buffer.from(vector.policyBase64, 'base64').toString('utf8'), vector.policyJson);
      const policy = parsePolicy(vector.policyBase64);
      assert.ok(policy.conditions.length > 0);
      assert.equal(policy.expirationMs, Date.parse(JSON.parse(vector.policyJson).expiration as string));
    });
  }

  it('reads V1-POST-1 into canonical conditions, undoing the \\$ escape', () => {
    const vector = vectors.find((v) => v.id === 'V1-POST-1')!;
    const policy = parsePolicy(vector.policyBase64);
    assert.deepEqual(policy.conditions[0], {
      kind: 'eq',
      form: 'object',
      field: 'bucket',
      value: 'gen-post-policy',
      rendering: '["eq", "$bucket", "gen-post-policy"]',
    });
    assert.deepEqual(policy.conditions[1], {
      kind: 'eq',
      form: 'list',
      field: 'key',
      value: 'user/eric/${filename}',
      rendering: '["eq", "$key", "user/eric/\\\\${filename}"]',
    });
    assert.deepEqual(policy.contentLengthRange, { minBytes: 1, maxBytes: 1024 });
  });

  it('reads in/not-in lists of V4-POST-1 and renders them with ", " separators', () => {
    const policy = parsePolicy(vectors.find((v) => v.id === 'V4-POST-1')!.policyBase64);
    const inCondition = policy.conditions.find((c) => c.kind === 'in');
    assert.deepEqual(inCondition, {
      kind: 'in',
      field: 'content-type',
      values: ['image/jpg', 'image/png'],
      rendering: '["in", "$content-type", ["image/jpg", "image/png"]]',
    });
  });
});

describe('parsePolicy: accepted shapes', () => {
  it('tolerates a field name without $ and lower-cases it, rendering it with $ (§4.4)', () => {
    const policy = parsePolicy(withConditions('[["eq","Success_Action_Status","200"]]'));
    assert.deepEqual(policy.conditions[0], {
      kind: 'eq',
      form: 'list',
      field: 'success_action_status',
      value: '200',
      rendering: '["eq", "$Success_Action_Status", "200"]',
    });
  });

  it('accepts expiration without a fraction, with milliseconds and with microseconds', () => {
    for (const [text, ms] of [
      ['2013-12-01T12:00:00Z', Date.UTC(2013, 11, 1, 12)],
      ['2013-12-01T12:00:00.123Z', Date.UTC(2013, 11, 1, 12, 0, 0, 123)],
      ['2013-12-01T12:00:00.123456Z', Date.UTC(2013, 11, 1, 12, 0, 0, 123)],
      ['2024-02-29T23:59:59.9Z', Date.UTC(2024, 1, 29, 23, 59, 59, 900)],
    ] as const) {
      assert.equal(parsePolicy(base64Of(policyWith('[{"a":"b"}]', `"${text}"`))).expirationMs, ms, text);
    }
  });

  it('accepts content-length-range with 0 and intersects several ranges', () => {
    assert.deepEqual(parsePolicy(withConditions('[["content-length-range",0,0]]')).contentLengthRange, {
      minBytes: 0,
      maxBytes: 0,
    });
    const policy = parsePolicy(
      withConditions('[["content-length-range",0,100],["content-length-range",5,200]]'),
    );
    assert.deepEqual(policy.contentLengthRange, { minBytes: 5, maxBytes: 100 });
    assert.equal(parsePolicy(withConditions('[{"a":"b"}]')).contentLengthRange, undefined);
  });

  it('accepts a literal $ written as \\$ and an unescaped $ inside values', () => {
    const policy = parsePolicy(
      withConditions(String.raw`[["starts-with","$key","a\\$b"],{"x-oss-meta-p":"c$d"}]`),
    );
    assert.equal(policy.conditions[0]?.kind === 'starts-with' && policy.conditions[0].prefix, 'a$b');
    assert.equal(policy.conditions[1]?.kind === 'eq' && policy.conditions[1].value, 'c$d');
  });

  it('accepts exactly 1000 conditions', () => {
    const conditions = `[${Array.from({ length: 1000 }, () => '{"a":""}').join(',')}]`;
    assert.equal(parsePolicy(withConditions(conditions)).conditions.length, 1000);
  });

  it('accepts any valid JSON layout, including escaped slashes and whitespace', () => {
    const conditions = String.raw`[ ["starts-with", "$key", "user\/a\/"] ]`;
    const json = `{ "conditions" : ${conditions},\r\n\t "expiration" : "${validExpiration}" }`;
    assert.ok(json.includes('\\/'));
    const policy = parsePolicy(base64Of(json));
    assert.equal(policy.conditions[0]?.kind === 'starts-with' && policy.conditions[0].prefix, 'user/a/');
  });
});
