// Hostile policies from threats §C1.8–C1.11 and §C2.23: each must be 400 InvalidPolicyDocument with
// the EC oss-protocol §4.2/§4.3 documents (0006-00000201 where OSS documents none).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from './parse-policy.js';
import { assertInvalidPolicy, base64Of, policyWith, validExpiration } from './policy-test-helpers.js';

const withConditions = (conditionsJson: string): string => base64Of(policyWith(conditionsJson));
const withExpiration = (expirationJson: string): string =>
  base64Of(policyWith('[{"a":"b"}]', expirationJson));

describe('parsePolicy rejects malformed expiration (threats §C1.8)', () => {
  it('rejects a number with EC 0006-00000210', () => {
    assertInvalidPolicy(withExpiration('1893456000000'), '0006-00000210');
  });

  it('rejects an empty string with EC 0006-00000211', () => {
    assertInvalidPolicy(withExpiration('""'), '0006-00000211');
  });

  it('rejects a space instead of T, a missing Z, an offset, year 10000 and impossible dates with 0006-00000212', () => {
    for (const text of [
      '2030-01-01 00:00:00.000Z',
      '2030-01-01T00:00:00.000',
      '2030-01-01T00:00:00+08:00',
      '+010000-01-01T00:00:00.000Z',
      '10000-01-01T00:00:00.000Z',
      '2023-02-29T00:00:00Z',
      '2030-01-01T24:00:00Z',
      '2030-13-01T00:00:00Z',
      '2030-1-1T00:00:00Z',
      '2030-01-01T00:00:00.Z',
      '2030-01-01t00:00:00z',
    ]) {
      assertInvalidPolicy(withExpiration(JSON.stringify(text)), '0006-00000212');
    }
  });

  it('rejects a missing expiration with 0006-00000208 and upper-case EXPIRATION the same way', () => {
    assertInvalidPolicy(base64Of('{"conditions":[{"a":"b"}]}'), '0006-00000208');
    assertInvalidPolicy(
      base64Of(`{"EXPIRATION":"${validExpiration}","conditions":[{"a":"b"}]}`),
      '0006-00000208',
    );
  });

  it('rejects a policy with neither member with 0006-00000209', () => {
    assertInvalidPolicy(base64Of('{}'), '0006-00000209');
  });
});

describe('parsePolicy rejects bad document structure (threats §C1.9)', () => {
  it('rejects text that is not Base64, including the URL-safe alphabet, with 0006-00000202', () => {
    assertInvalidPolicy('not base64!', '0006-00000202');
    const urlSafe = Buffer.from(policyWith('[["eq","$key","??>>"]]')).toString('base64url');
    assert.match(urlSafe, /[-_]/);
    assertInvalidPolicy(urlSafe, '0006-00000202');
    const padded = ['b', 'bc', 'bcd']
      .map((v) => withConditions(`[{"a":"${v}"}]`))
      .find((t) => t.endsWith('='))!;
    assertInvalidPolicy(padded.replace(/=+$/, ''), '0006-00000202');
    assertInvalidPolicy(`${padded.slice(0, 8)}\n${padded.slice(8)}`, '0006-00000202');
    assertInvalidPolicy(` ${padded}`, '0006-00000202');
  });

  it('rejects bytes that are not UTF-8 with 0006-00000203', () => {
    assertInvalidPolicy(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), '0006-00000203');
  });

  it('rejects Base64 of non-JSON with 0006-00000204 and OSS-style messages', () => {
    assertInvalidPolicy(base64Of('hello'), '0006-00000204', /Invalid JSON: unknown char h/);
    assertInvalidPolicy(base64Of(`{expiration:"${validExpiration}"}`), '0006-00000204', /unknown char e$/);
    assertInvalidPolicy(base64Of(policyWith('[{"a":"b"} {"c":"d"}]')), '0006-00000204', /, or \] expected$/);
    assertInvalidPolicy('', '0006-00000204');
  });

  it('rejects a top-level array or string with 0006-00000201', () => {
    assertInvalidPolicy(base64Of(`[${policyWith('[{"a":"b"}]')}]`), '0006-00000201');
    assertInvalidPolicy(base64Of('"x"'), '0006-00000201');
  });

  it('rejects missing or upper-case conditions with 0006-00000207', () => {
    assertInvalidPolicy(base64Of(`{"expiration":"${validExpiration}"}`), '0006-00000207');
    assertInvalidPolicy(
      base64Of(`{"expiration":"${validExpiration}","CONDITIONS":[{"a":"b"}]}`),
      '0006-00000207',
    );
  });

  it('rejects an unknown top-level member with 0006-00000201', () => {
    const json = `{"expiration":"${validExpiration}","conditions":[{"a":"b"}],"Conditions":[]}`;
    assertInvalidPolicy(base64Of(json), '0006-00000201', /Unknown policy member "Conditions"/);
  });

  it('rejects conditions that are not a list with 0006-00000201 and an empty list with 0006-00000215', () => {
    assertInvalidPolicy(withConditions('{"a":"b"}'), '0006-00000201');
    assertInvalidPolicy(withConditions('[]'), '0006-00000215');
  });

  it("rejects [{}] and a two-property simple condition with OSS's Simple-Condition message", () => {
    const message =
      /^Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified\.$/;
    assertInvalidPolicy(withConditions('[{}]'), '0006-00000201', message);
    assertInvalidPolicy(withConditions('[{"a":"1","b":"2"}]'), '0006-00000201', message);
  });

  it('rejects a simple condition whose value is not a string', () => {
    assertInvalidPolicy(withConditions('[{"bucket":123}]'), '0006-00000201');
  });

  it('rejects a condition that is neither map nor list with 0006-00000222', () => {
    for (const item of ['123', '"eq"', 'null', 'true']) {
      assertInvalidPolicy(withConditions(`[${item}]`), '0006-00000222');
    }
  });

  it('rejects unknown, missing or wrongly-cased operators with 0006-00000216', () => {
    for (const item of [
      '["$key"]',
      '[]',
      '["EQ","$key","a"]',
      '["Starts-With","$key","a"]',
      '["matches","$key","a"]',
      '[1,"$key","a"]',
    ]) {
      assertInvalidPolicy(withConditions(`[${item}]`), '0006-00000216');
    }
  });

  it('rejects wrong arity with 0006-00000218', () => {
    for (const item of [
      '["starts-with","$key"]',
      '["starts-with","$key","a","b"]',
      '["eq","$key"]',
      '["in","$x"]',
    ]) {
      assertInvalidPolicy(withConditions(`[${item}]`), '0006-00000218');
    }
  });

  it('rejects in/not-in without a list of strings with 0006-00000224', () => {
    for (const item of [
      '["in","$content-type","image/png"]',
      '["not-in","$cache-control","no-cache"]',
      '["in","$x",["a",1]]',
    ]) {
      assertInvalidPolicy(withConditions(`[${item}]`), '0006-00000224');
    }
  });

  it('rejects non-string field names and values with 0006-00000201', () => {
    for (const item of [
      '["eq",1,"a"]',
      '["eq","$key",1]',
      '["starts-with","$","a"]',
      '["eq","","a"]',
      '{"":"a"}',
      '{"$":"a"}',
    ]) {
      assertInvalidPolicy(withConditions(`[${item}]`), '0006-00000201');
    }
  });

  it('rejects starts-with, in and not-in on bucket (exact-only, threats §C1.12)', () => {
    for (const item of [
      '["starts-with","$bucket",""]',
      '["starts-with","bucket","a"]',
      '["in","$Bucket",["a"]]',
      '["not-in","$bucket",["a"]]',
    ]) {
      assertInvalidPolicy(
        withConditions(`[${item}]`),
        '0006-00000201',
        /bucket only supports exact matching/,
      );
    }
    assert.equal(parsePolicy(withConditions('[["eq","$bucket","a"]]')).conditions[0]?.kind, 'eq');
  });
});

describe('parsePolicy rejects duplicate keys (threats §C1.10)', () => {
  it('rejects conditions twice, the second one empty, with 0006-00000204', () => {
    const json = `{"expiration":"${validExpiration}","conditions":[["eq","$key","a"]],"conditions":[]}`;
    assertInvalidPolicy(base64Of(json), '0006-00000204', /duplicate key "conditions"/);
  });

  it('rejects expiration twice', () => {
    const json = `{"expiration":"2000-01-01T00:00:00Z","expiration":"${validExpiration}","conditions":[{"a":"b"}]}`;
    assertInvalidPolicy(base64Of(json), '0006-00000204', /duplicate key "expiration"/);
  });

  it('rejects a duplicate key inside a condition object', () => {
    assertInvalidPolicy(
      withConditions('[{"bucket":"a","bucket":"b"}]'),
      '0006-00000204',
      /duplicate key "bucket"/,
    );
  });
});

describe('parsePolicy bounds hostile sizes (threats §C1.11)', () => {
  it('refuses a 1 MiB policy by its length, quickly', () => {
    const started = performance.now();
    assertInvalidPolicy('A'.repeat(1024 * 1024), '0006-00000201', /longer than 65536/);
    assert.ok(performance.now() - started < 50);
  });

  it('refuses 1001 and 10 000 conditions', () => {
    const many = (n: number) => `[${Array.from({ length: n }, () => '{"a":""}').join(',')}]`;
    assertInvalidPolicy(withConditions(many(1001)), '0006-00000201', /more than 1000 conditions/);
    assertInvalidPolicy(withConditions(many(10_000)), '0006-00000201');
  });

  it('refuses arrays nested deeper than the grammar, quickly', () => {
    const started = performance.now();
    assertInvalidPolicy(withConditions('[[[["a"]]]]'), '0006-00000201', /nesting deeper than 4/);
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    assertInvalidPolicy(base64Of(deep), '0006-00000201', /nesting/);
    assert.ok(performance.now() - started < 200);
  });
});

describe('parsePolicy rejects bad content-length-range (threats §C2.23)', () => {
  it('rejects a missing bound with 0006-00000218', () => {
    assertInvalidPolicy(withConditions('[["content-length-range",0]]'), '0006-00000218');
  });

  it('rejects max below min with 0006-00000219', () => {
    assertInvalidPolicy(withConditions('[["content-length-range",10,5]]'), '0006-00000219');
  });

  it('rejects negative, fractional, exponent, string and unsafe bounds with 0006-00000221', () => {
    for (const bounds of [
      '-1,0',
      '"1","2"',
      '1.5,2',
      '0,1e30',
      '0,1.0',
      '0,9007199254740992',
      '-0,1',
      'null,1',
      '0,1E3',
    ]) {
      assertInvalidPolicy(withConditions(`[["content-length-range",${bounds}]]`), '0006-00000221', undefined);
    }
  });
});
