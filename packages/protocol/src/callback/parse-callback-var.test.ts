import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../errors/index.js';
import { collectFormCallbackVars, parseCallbackVar } from './parse-callback-var.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function assertRejects(run: () => unknown, ec: string | undefined): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OssError);
    assert.equal(error.code, 'InvalidArgument');
    assert.equal(error.ec, ec);
    assert.deepEqual(error.extra[0], ['ArgumentName', 'callback-var']);
    return true;
  });
}

describe('parseCallbackVar', () => {
  it('decodes the documented D4 header example', () => {
    assert.deepEqual(parseCallbackVar('eyJ4OnVpZCI6ICIxMjM0NSIsICJ4Om9yZGVyX2lkIjogIjY3ODkwIn0='), {
      'x:uid': '12345',
      'x:order_id': '67890',
    });
  });

  it('accepts upper-case letters in variable names and keeps their case', () => {
    assert.deepEqual(parseCallbackVar(b64('{"x:UserId":"42"}')), { 'x:UserId': '42' });
  });

  it('rejects a value that is not base64 with EC 0007-00000102', () => {
    assertRejects(() => parseCallbackVar('x123-*&'), '0007-00000102');
  });

  it('rejects base64 of non-JSON with EC 0007-00000103', () => {
    assertRejects(() => parseCallbackVar(b64('{"x:var1":"value1",')), '0007-00000103');
  });

  it('rejects JSON that is not an object with EC 0007-00000103', () => {
    for (const json of ['["x:a"]', '"x:a"', 'null', '1'])
      assertRejects(() => parseCallbackVar(b64(json)), '0007-00000103');
  });

  it('rejects non-string values and keys without the x: prefix with EC 0007-00000105', () => {
    for (const json of [
      '{"x:a":1}',
      '{"x:a":null}',
      '{"x:a":{"b":"c"}}',
      '{"uid":"1"}',
      '{"X-uid":"1"}',
      '{"x:":"1"}',
    ]) {
      assertRejects(() => parseCallbackVar(b64(json)), '0007-00000105');
    }
  });

  it('rejects a parameter longer than 5 KiB unless the caller raises the limit', () => {
    const long = b64(JSON.stringify({ 'x:a': 'v'.repeat(4000) }));
    assertRejects(() => parseCallbackVar(long), undefined);
    assert.equal(parseCallbackVar(long, { maxBytes: 10_000 })['x:a']?.length, 4000);
  });
});

describe('collectFormCallbackVars', () => {
  it('picks the x: fields of a PostObject form and ignores everything else', () => {
    const fields = new Map([
      ['key', 'user/a.jpg'],
      ['x:uid', '12345'],
      ['X:Order_Id', '67890'],
      ['x:', 'nameless'],
      ['x-oss-meta-a', 'b'],
      ['callback', 'e30='],
    ]);
    assert.deepEqual(collectFormCallbackVars(fields), { 'x:uid': '12345', 'x:Order_Id': '67890' });
  });
});
