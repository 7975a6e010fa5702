import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../errors/oss-error.js';
import { buildPostPolicy } from './build-post-policy.js';
import { checkPolicy } from './check-policy.js';
import { parsePolicy } from './parse-policy.js';
import { escapePolicyValue, unescapePolicyValue } from './policy-value-escape.js';

const expiration = new Date(Date.UTC(2030, 0, 1, 0, 15));

describe('buildPostPolicy', () => {
  it('emits compact JSON and its UTF-8 Base64', () => {
    const built = buildPostPolicy({
      expiration,
      conditions: [{ bucket: 'b' }, ['starts-with', '$key', 'user/é/'], ['content-length-range', 1, 10]],
    });
    assert.equal(
      built.json,
      '{"expiration":"2030-01-01T00:15:00.000Z","conditions":[{"bucket":"b"},["starts-with","$key","user/é/"],["content-length-range",1,10]]}',
    );
    assert.equal(built.base64, Buffer.from(built.json, 'utf8').toString('base64'));
  });

  it('keeps an injection attempt inside one string (threats §B2)', () => {
    const hostile = ['"},{"bucket":"other', 'a"],["starts-with","$key","', '\\', '\u0000', '\n', '"'];
    for (const prefix of hostile) {
      const built = buildPostPolicy({
        expiration,
        conditions: [{ bucket: 'mine' }, ['starts-with', '$key', prefix]],
      });
      const policy = parsePolicy(built.base64);
      assert.equal(policy.conditions.length, 2, JSON.stringify(prefix));
      assert.deepEqual(policy.conditions[0], {
        kind: 'eq',
        form: 'object',
        field: 'bucket',
        value: 'mine',
        rendering: '["eq", "$bucket", "mine"]',
      });
      assert.equal(policy.conditions[1]?.kind === 'starts-with' && policy.conditions[1].prefix, prefix);
      const other = checkPolicy(policy, { fields: new Map([['key', prefix]]), bucket: 'other', nowMs: 0 });
      assert.equal(other.ok, false);
    }
  });

  it('keeps an injected field name inside one key', () => {
    const built = buildPostPolicy({ expiration, conditions: [{ 'x-oss-meta-a":"1"},{"bucket': 'v' }] });
    const policy = parsePolicy(built.base64);
    assert.equal(policy.conditions.length, 1);
    assert.equal(
      policy.conditions[0]?.kind === 'eq' && policy.conditions[0].field,
      'x-oss-meta-a":"1"},{"bucket',
    );
  });

  it('refuses what the parser would refuse', () => {
    const invalid: unknown[] = [
      ['starts-with', '$bucket', ''],
      ['content-length-range', 10, 5],
      ['content-length-range', 1.5, 5],
      ['in', '$content-type', 'image/png'],
      { a: '1', b: '2' },
      ['matches', '$key', 'x'],
    ];
    for (const condition of invalid) {
      assert.throws(
        () => buildPostPolicy({ expiration, conditions: [condition as never] }),
        (error: unknown) => error instanceof OssError && error.code === 'InvalidPolicyDocument',
        JSON.stringify(condition),
      );
    }
    assert.throws(() => buildPostPolicy({ expiration, conditions: [] }), /conditions must not be empty/);
  });

  it('refuses an invalid Date and a year beyond 9999', () => {
    assert.throws(
      () => buildPostPolicy({ expiration: new Date(NaN), conditions: [{ a: 'b' }] }),
      (error: unknown) => error instanceof OssError && error.code === 'InvalidArgument',
    );
    assert.throws(
      () => buildPostPolicy({ expiration: new Date(Date.UTC(10000, 0, 1)), conditions: [{ a: 'b' }] }),
      (error: unknown) => error instanceof OssError && error.ec === '0006-00000212',
    );
  });

  it('ignores toJSON hooks on condition objects', () => {
    const sneaky = Object.assign(['eq', '$key', 'a'] as const, { toJSON: () => ['eq', '$bucket', 'x'] });
    const built = buildPostPolicy({ expiration, conditions: [sneaky] });
    assert.equal(built.json.includes('$bucket'), false);
  });
});

describe('escapePolicyValue', () => {
  it('pins a literal ${filename} that the checker then matches before expansion (§4.4)', () => {
    const value = escapePolicyValue('user/${filename}');
    assert.equal(value, 'user/\\${filename}');
    const built = buildPostPolicy({ expiration, conditions: [['eq', '$key', value]] });
    assert.ok(built.json.includes('"user/\\\\${filename}"'));
    const policy = parsePolicy(built.base64);
    const fields = new Map([['key', 'user/${filename}']]);
    assert.equal(checkPolicy(policy, { fields, bucket: 'b', nowMs: 0 }).ok, true);
  });

  it('round-trips through unescapePolicyValue, backslashes included', () => {
    for (const raw of ['a$b', '\\$', 'a\\$b$', '\\', '$$', 'plain', '\\\\$']) {
      assert.equal(unescapePolicyValue(escapePolicyValue(raw)), raw, raw);
    }
  });
});
