import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallbackParam } from './parse-callback-param.js';
import { renderCallbackBody, type CallbackSystemVars } from './render-callback-body.js';
import type { CallbackBodyType } from './callback-wire-names.js';

const system: CallbackSystemVars = {
  bucket: 'callback-test',
  object: 'test.txt',
  etag: 'D8E8FCA2DC0F896FD7CB4CB0031BA249',
  size: 5,
  mimeType: 'text/plain',
  crc64: '16633938635979353501',
  contentMd5: '2Oj8otwPiW/Xy0ywAxuiSQ==',
  vpcId: '',
  clientIp: '203.0.113.7',
  reqId: '55F6BF87207FB30F2640C548',
  operation: 'PutObject',
};

function configFor(
  callbackBody: string,
  callbackBodyType: CallbackBodyType = 'application/x-www-form-urlencoded',
) {
  const json = JSON.stringify({ callbackUrl: 'app.example', callbackBody, callbackBodyType });
  return parseCallbackParam(Buffer.from(json).toString('base64'));
}

function render(
  callbackBody: string,
  bodyType?: CallbackBodyType,
  overrides: Partial<CallbackSystemVars> = {},
  custom = {},
) {
  return renderCallbackBody(configFor(callbackBody, bodyType), {
    system: { ...system, ...overrides },
    custom,
  }).toString('utf8');
}

describe('renderCallbackBody, form encoding', () => {
  it('reproduces the documented D6 example body byte for byte (181 bytes)', () => {
    const template =
      'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&imageInfo.height=${imageInfo.height}&imageInfo.width=${imageInfo.width}&imageInfo.format=${imageInfo.format}&x:var1=${x:var1}';
    const body = renderCallbackBody(configFor(template), {
      system,
      custom: { 'x:var1': 'for-callback-test' },
    });
    assert.equal(
      body.toString('utf8'),
      'bucket=callback-test&object=test.txt&etag=D8E8FCA2DC0F896FD7CB4CB0031BA249&size=5&mimeType=text%2Fplain&imageInfo.height=&imageInfo.width=&imageInfo.format=&x:var1=for-callback-test',
    );
    assert.equal(body.length, 181);
  });

  it('percent-encodes values per RFC 3986 (space as %20, UTF-8 bytes) and keeps template text verbatim', () => {
    assert.equal(
      render('名=${object}', undefined, { object: "a b+c/d'(é)*~" }),
      '名=a%20b%2Bc%2Fd%27%28%C3%A9%29%2A~',
    );
  });

  it('cannot be made to add form pairs through an object key (threats C5.48)', () => {
    const object = 'a&size=0&x:role=admin';
    const body = render(
      'object=${object}&size=${size}&role=${x:role}',
      undefined,
      { object },
      { 'x:role': 'user' },
    );
    const params = [...new URLSearchParams(body)];
    assert.deepEqual(params, [
      ['object', object],
      ['size', '5'],
      ['role', 'user'],
    ]);
  });

  it('renders a missing custom variable as an empty value', () => {
    assert.equal(render('uid=${x:uid}&b=${bucket}'), 'uid=&b=callback-test');
  });

  it('fills the image variables for images', () => {
    const imageInfo = { width: 640, height: 480, format: 'jpg' };
    assert.equal(
      render('${imageInfo.width}x${imageInfo.height}.${imageInfo.format}', undefined, { imageInfo }),
      '640x480.jpg',
    );
  });

  it('encodes lone surrogates as U+FFFD instead of throwing', () => {
    assert.equal(render('k=${x:k}', undefined, {}, { 'x:k': 'a\ud800b' }), 'k=a%EF%BF%BDb');
  });
});

describe('renderCallbackBody, JSON', () => {
  const json = 'application/json' as const;

  it('emits strings as quoted JSON literals and size as a bare number', () => {
    const body = render('{"bucket":${bucket},"size":${size},"crc64":${crc64},"etag":${etag}}', json);
    assert.deepEqual(JSON.parse(body), {
      bucket: 'callback-test',
      size: 5,
      crc64: '16633938635979353501',
      etag: 'D8E8FCA2DC0F896FD7CB4CB0031BA249',
    });
  });

  it('cannot be made to add members through an object key or custom variable (threats C5.48)', () => {
    const object = '","size":0,"x:role":"admin';
    const body = render(
      '{"object":${object},"size":${size},"role":${x:role}}',
      json,
      { object },
      { 'x:role': '"}\u2028\\' },
    );
    const parsed = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['object', 'size', 'role']);
    assert.equal(parsed.object, object);
    assert.equal(parsed.size, 5);
    assert.equal(parsed.role, '"}\u2028\\');
  });

  it('escapes values placed inside a string literal without adding quotes', () => {
    const object = 'evil","size":0,"x":"';
    const body = render('{"pic":"${imageInfo.width},${imageInfo.height}","key":"user/${object}"}', json, {
      object,
      imageInfo: { width: 640, height: 480, format: 'png' },
    });
    assert.deepEqual(JSON.parse(body), { pic: '640,480', key: `user/${object}` });
  });

  it('renders a missing custom variable as an empty JSON string', () => {
    assert.deepEqual(JSON.parse(render('{"uid":${x:uid},"in":"<${x:uid}>"}', json)), { uid: '', in: '<>' });
  });

  it('emits nothing for absent image width/height outside strings and "" for the format', () => {
    assert.equal(
      render('{"w":${imageInfo.width},"f":${imageInfo.format},"p":"${imageInfo.height}"}', json),
      '{"w":,"f":"","p":""}',
    );
  });

  it('refuses a size that is not a non-negative safe integer', () => {
    assert.throws(() => render('{"s":${size}}', json, { size: Number.NaN }), RangeError);
    assert.throws(() => render('{"s":${size}}', json, { size: -1 }), RangeError);
  });
});
