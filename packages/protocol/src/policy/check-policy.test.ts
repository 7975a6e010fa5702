import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Verdict } from '../errors/verdict.js';
import { checkContentLength, checkPolicy, findPolicyExactValue } from './check-policy.js';
import { parsePolicy } from './parse-policy.js';
import { base64Of, policyWith } from './policy-test-helpers.js';

const expirationMs = Date.UTC(2030, 0, 1);
const beforeExpiry = expirationMs - 60_000;

const policyOf = (conditionsJson: string) => parsePolicy(base64Of(policyWith(conditionsJson)));

function check(
  conditionsJson: string,
  fields: Record<string, string>,
  bucket = 'b',
  nowMs = beforeExpiry,
): Verdict {
  return checkPolicy(policyOf(conditionsJson), { fields: new Map(Object.entries(fields)), bucket, nowMs });
}

function assertConditionFailed(verdict: Verdict, rendering: string): void {
  assert.equal(verdict.ok, false);
  if (verdict.ok) return;
  assert.equal(verdict.error.code, 'AccessDenied');
  assert.equal(verdict.error.status, 403);
  assert.equal(verdict.error.ec, '0006-00000227');
  assert.equal(verdict.error.message, `Invalid according to Policy: Policy Condition failed: ${rendering}`);
}

describe('checkPolicy: expiration (threats §C1.7)', () => {
  const conditions = '[{"bucket":"b"}]';

  it('passes 1 ms before the expiration', () => {
    assert.deepEqual(check(conditions, {}, 'b', expirationMs - 1), { ok: true });
  });

  it('treats exactly-now as expired, with OSS message and EC 0006-00000213', () => {
    for (const nowMs of [expirationMs, expirationMs + 1000]) {
      const verdict = check(conditions, {}, 'b', nowMs);
      assert.equal(verdict.ok, false);
      if (verdict.ok) continue;
      assert.equal(verdict.error.code, 'AccessDenied');
      assert.equal(verdict.error.status, 403);
      assert.equal(verdict.error.message, 'Invalid according to Policy: Policy expired.');
      assert.equal(verdict.error.ec, '0006-00000213');
    }
  });
});

describe('checkPolicy: conditions', () => {
  it('compares bucket with the addressed bucket, never with a form field (threats §C1.12)', () => {
    assertConditionFailed(check('[{"bucket":"a"}]', { bucket: 'a' }, 'b'), '["eq", "$bucket", "a"]');
    assert.equal(check('[["eq","$bucket","a"]]', {}, 'a').ok, true);
  });

  it('rejects keys outside the starts-with prefix and accepts a literal .. key inside it (threats §C2.14)', () => {
    const conditions = '[["starts-with","$key","user/alice/"]]';
    for (const key of ['user/bob/x', 'user/alice', 'USER/alice/x']) {
      assertConditionFailed(check(conditions, { key }), '["starts-with", "$key", "user/alice/"]');
    }
    assert.equal(check(conditions, { key: 'user/alice/../bob/x' }).ok, true);
  });

  it('fails a condition whose field is absent (threats §C2.16)', () => {
    assertConditionFailed(check('[["eq","$x-oss-meta-a","1"]]', {}), '["eq", "$x-oss-meta-a", "1"]');
    assertConditionFailed(check('[["starts-with","$key","u/"]]', {}), '["starts-with", "$key", "u/"]');
    assertConditionFailed(check('[["in","$content-type",["a"]]]', {}), '["in", "$content-type", ["a"]]');
  });

  it('compares values exactly and case-sensitively but names case-insensitively (threats §C2.17)', () => {
    const conditions = '[["eq","$Content-Type","image/png"]]';
    for (const value of ['image/PNG', 'image/png ']) {
      assertConditionFailed(
        check(conditions, { 'content-type': value }),
        '["eq", "$Content-Type", "image/png"]',
      );
    }
    assert.equal(check(conditions, { 'content-type': 'image/png' }).ok, true);
  });

  it('lets an empty starts-with admit anything, even an absent field (§4.4)', () => {
    assert.equal(check('[["starts-with","$content-type",""]]', {}).ok, true);
    assert.equal(check('[["starts-with","$key",""]]', { key: 'anything' }).ok, true);
  });

  it('checks in and not-in lists, rendering them like OSS', () => {
    const inList = '[["in","$content-type",["image/jpg","image/png"]]]';
    assert.equal(check(inList, { 'content-type': 'image/png' }).ok, true);
    assertConditionFailed(
      check(inList, { 'content-type': 'text/html' }),
      '["in", "$content-type", ["image/jpg", "image/png"]]',
    );
    const notIn = '[["not-in","$cache-control",["no-cache"]]]';
    assert.equal(check(notIn, { 'cache-control': 'max-age=30' }).ok, true);
    assertConditionFailed(
      check(notIn, { 'cache-control': 'no-cache' }),
      '["not-in", "$cache-control", ["no-cache"]]',
    );
    assertConditionFailed(check(notIn, {}), '["not-in", "$cache-control", ["no-cache"]]');
  });

  it('compares against the unexpanded key, so an escaped ${filename} pins the literal (§3.5, §4.4)', () => {
    const conditions = '[["eq","$key","user/eric/\\\\${filename}"]]';
    assert.equal(check(conditions, { key: 'user/eric/${filename}' }).ok, true);
    assertConditionFailed(
      check(conditions, { key: 'user/eric/photo.jpg' }),
      '["eq", "$key", "user/eric/\\\\${filename}"]',
    );
  });

  it('prints a condition written without $ as OSS does (D9 0006-00000227)', () => {
    const verdict = check('[["eq", "success_action_status", "200"]]', { success_action_status: '201' });
    assertConditionFailed(verdict, '["eq", "$success_action_status", "200"]');
  });

  it('accepts extra fields the policy does not mention (§4.3)', () => {
    const fields = {
      key: 'u/a',
      'x-oss-object-acl': 'public-read-write',
      'x-oss-meta-role': 'admin',
      'x:uid': '1',
    };
    assert.equal(check('[["starts-with","$key","u/"]]', fields).ok, true);
  });

  it('reports the first failing condition in policy order and ignores content-length-range', () => {
    const conditions = '[["content-length-range",5,6],{"key":"k"},["eq","$a","1"],["eq","$b","2"]]';
    assertConditionFailed(check(conditions, { key: 'k', a: 'x', b: 'y' }), '["eq", "$a", "1"]');
  });

  it('escapes control characters in the rendered condition', () => {
    assertConditionFailed(check('[["eq","$a","x\\u0001y"]]', {}), '["eq", "$a", "x\\u0001y"]');
  });
});

describe('checkContentLength (threats §C2.22)', () => {
  const policy = policyOf('[["content-length-range",10,20]]');

  it('accepts exactly min and exactly max', () => {
    assert.equal(checkContentLength(policy, 10).ok, true);
    assert.equal(checkContentLength(policy, 20).ok, true);
  });

  it('answers EntityTooLarge one byte over max and EntityTooSmall one byte under min', () => {
    const large = checkContentLength(policy, 21);
    assert.ok(!large.ok);
    assert.deepEqual(
      [large.error.code, large.error.status, large.error.ec],
      ['EntityTooLarge', 400, '0006-00000003'],
    );
    const small = checkContentLength(policy, 9);
    assert.ok(!small.ok);
    assert.deepEqual(
      [small.error.code, small.error.status, small.error.ec],
      ['EntityTooSmall', 400, '0006-00000004'],
    );
  });

  it('exposes the byte bounds for a streaming cut-off and passes any size without a range', () => {
    assert.deepEqual(policy.contentLengthRange, { minBytes: 10, maxBytes: 20 });
    assert.equal(checkContentLength(policyOf('[{"a":"b"}]'), 5 * 1024 ** 3).ok, true);
  });
});

describe('findPolicyExactValue', () => {
  it('finds the pinned value of a field in object or eq form, case-insensitively', () => {
    const policy = policyOf('[{"X-OSS-Date":"20231203T121212Z"},["eq","$x-oss-credential","c"]]');
    assert.equal(findPolicyExactValue(policy, 'x-oss-date'), '20231203T121212Z');
    assert.equal(findPolicyExactValue(policy, 'X-OSS-Credential'), 'c');
    assert.equal(findPolicyExactValue(policy, 'key'), undefined);
  });
});
