import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallbackVerificationError } from './callback-verification-error.js';
import { parseCallbackBody, readCallbackBodyType } from './parse-callback-body.js';

const keyUrl = 'https://gosspublic.alicdn.com/callback_pub_key_v1.pem';
const form = (text: string) =>
  parseCallbackBody(Buffer.from(text, 'utf8'), 'application/x-www-form-urlencoded', keyUrl);
const json = (text: string) => parseCallbackBody(Buffer.from(text, 'utf8'), 'application/json', keyUrl);

function assertBadRequest(fn: () => unknown, what: string): void {
  assert.throws(
    fn,
    (error) => error instanceof CallbackVerificationError && error.reason === 'bad-request',
    what,
  );
}

describe('parseCallbackBody', () => {
  it('types a form body, decoding both "+" and "%20" as spaces', () => {
    const parsed = form(
      'bucket=b&object=uploads%2Fa+b%20c.png&etag=%22D8E8FCA2DC0F896FD7CB4CB0031BA249%22&size=5&mimeType=image%2Fpng' +
        '&imageInfo.height=10&imageInfo.width=20&imageInfo.format=png&crc64=18446744073709551615&contentMd5=abc%3D%3D' +
        '&clientIp=1.2.3.4&reqId=R1&operation=PostObject&uploadId=u1&x:order_id=42',
    );
    assert.deepEqual(
      { ...parsed, raw: undefined },
      {
        bucket: 'b',
        object: 'uploads/a b c.png',
        etag: 'D8E8FCA2DC0F896FD7CB4CB0031BA249',
        size: 5,
        mimeType: 'image/png',
        imageInfo: { height: 10, width: 20, format: 'png' },
        crc64: '18446744073709551615',
        contentMd5: 'abc==',
        clientIp: '1.2.3.4',
        reqId: 'R1',
        operation: 'PostObject',
        uploadId: 'u1',
        vars: { 'x:order_id': '42' },
        raw: undefined,
        bodyType: 'application/x-www-form-urlencoded',
        keyUrl,
      },
    );
    assert.equal(parsed.raw['x:order_id'], '42');
  });

  it('reads empty pairs, names without "=" and "=" inside values as a URL-encoded form does', () => {
    const parsed = form('&bucket=b&&object=o&etag=E&size=1&uploadId=u&x:flag&x:eq=a=b%3Dc&');
    assert.deepEqual(parsed.vars, { 'x:flag': '', 'x:eq': 'a=b=c' });
    assert.deepEqual(Object.keys(parsed.raw), [
      'bucket',
      'object',
      'etag',
      'size',
      'uploadId',
      'x:flag',
      'x:eq',
    ]);
  });

  it('keeps a "__proto__" member as plain data in raw, never as its prototype', () => {
    const parsed = form('bucket=b&object=o&etag=E&size=1&uploadId=u&__proto__=x');
    assert.equal(Object.getPrototypeOf(parsed.raw), Object.prototype);
    assert.ok(Object.hasOwn(parsed.raw, '__proto__'));
    assert.equal(Object.getOwnPropertyDescriptor(parsed.raw, '__proto__')?.value, 'x');
  });

  it('leaves empty optional values (non-images, multipart contentMd5) out', () => {
    const parsed = form(
      'bucket=b&object=o&etag=E&size=0&mimeType=&imageInfo.height=&imageInfo.width=&imageInfo.format=&contentMd5=&uploadId=u1',
    );
    assert.equal(parsed.imageInfo, undefined);
    assert.equal(parsed.contentMd5, undefined);
    assert.equal(parsed.mimeType, '');
    assert.equal(parsed.size, 0);
  });

  it('types a JSON body with size as a number or a numeric string and a nested or packed image size', () => {
    const a = json(
      '{"bucket":"b","object":"o","etag":"E","size":"12","mimeType":"text/plain","uploadId":"u1","x:note":"hi"}',
    );
    assert.equal(a.size, 12);
    assert.deepEqual(a.vars, { 'x:note': 'hi' });
    const b = json(
      '{"bucket":"b","object":"o","etag":"E","size":12,"mimeType":"image/png","imageSize":"20x10","uploadId":"u1"}',
    );
    assert.deepEqual(b.imageInfo, { height: 10, width: 20 });
    const c = json(
      '{"bucket":"b","object":"o","etag":"E","size":1,"imageInfo":{"height":3,"width":4,"format":"jpg"},"x:upload_id":"u2"}',
    );
    assert.deepEqual(c.imageInfo, { height: 3, width: 4, format: 'jpg' });
    assert.equal(c.uploadId, 'u2');
    const d = json(
      '{"bucket":"b","object":"o","etag":"E","size":1,"imageSize":"x","crc64":18446744073709551615,"uploadId":"u"}',
    );
    assert.equal(d.imageInfo, undefined);
    assert.equal(d.crc64, '18446744073709551615'); // never rounded through a double
  });

  it('refuses duplicate members, which first-wins and last-wins parsers would read differently', () => {
    assertBadRequest(() => form('bucket=b&object=o&etag=E&size=1&uploadId=u&size=0'), 'form');
    assertBadRequest(
      () => json('{"bucket":"b","object":"o","etag":"E","size":1,"uploadId":"u","size":0}'),
      'json',
    );
    assertBadRequest(
      () =>
        json(
          '{"bucket":"b","object":"o","etag":"E","size":1,"uploadId":"u","imageInfo.height":1,"imageInfo":{"height":2}}',
        ),
      'flattened',
    );
  });

  it('refuses bodies without the fields a confirmation needs, or with bad numbers or encodings', () => {
    const cases: Array<[string, () => unknown]> = [
      ['no uploadId', () => form('bucket=b&object=o&etag=E&size=1')],
      ['no object', () => form('bucket=b&etag=E&size=1&uploadId=u')],
      ['no size', () => form('bucket=b&object=o&etag=E&uploadId=u')],
      ['negative size', () => form('bucket=b&object=o&etag=E&size=-1&uploadId=u')],
      ['fractional size', () => json('{"bucket":"b","object":"o","etag":"E","size":1.5,"uploadId":"u"}')],
      ['huge size', () => form('bucket=b&object=o&etag=E&size=99999999999999999999&uploadId=u')],
      ['bad percent-encoding', () => form('bucket=%E4%B8&object=o&etag=E&size=1&uploadId=u')],
      [
        'invalid UTF-8',
        () => parseCallbackBody(Buffer.from([0x62, 0x3d, 0xff]), 'application/x-www-form-urlencoded', keyUrl),
      ],
      ['a JSON array', () => json('[1]')],
      ['truncated JSON', () => json('{"bucket":"b"')],
      [
        'injected members',
        () => json('{"object":"a","size":0,"x":"","bucket":"b","etag":"E","size":1,"uploadId":"u"}'),
      ],
    ];
    for (const [what, fn] of cases) assertBadRequest(fn, what);
  });

  it('decodes every percent-encoding exactly as decodeURIComponent does, and refuses what it refuses', () => {
    const spellings = [
      'a%2Fb%3a%7E', // ASCII escapes, either case: decoded inline
      '%25%32%46', // "%2F" once decoded, never twice
      '%C3%A9t%C3%A9', // UTF-8 escapes: decoded by decodeURIComponent
      'a%2F%E2%82%AC+%20', // ASCII, then UTF-8, then "+" and %20 as spaces
      '%E4%B8', // truncated UTF-8
      '%ED%A0%80', // an encoded surrogate
      '%C0%AF', // an overlong "/"
      '%2', // a truncated escape
      '%zz',
      'a%',
      '%%41',
      'é%41', // a literal non-ASCII character next to an escape
    ];
    for (const spelling of spellings) {
      let expected: string | undefined;
      try {
        expected = decodeURIComponent(spelling.replaceAll('+', ' '));
      } catch {
        expected = undefined;
      }
      const parse = () => form(`bucket=b&object=o&etag=E&size=1&uploadId=u&x%3A${spelling}=${spelling}`);
      if (expected === undefined) assertBadRequest(parse, spelling);
      else assert.equal(parse().vars[`x:${expected}`], expected, spelling);
    }
  });

  it('reads the body type from Content-Type, ignoring parameters and case', () => {
    assert.equal(
      readCallbackBodyType('application/x-www-form-urlencoded; charset=UTF-8'),
      'application/x-www-form-urlencoded',
    );
    assert.equal(readCallbackBodyType('Application/JSON'), 'application/json');
    assert.equal(readCallbackBodyType('text/plain'), undefined);
    assert.equal(readCallbackBodyType(undefined), undefined);
  });
});
