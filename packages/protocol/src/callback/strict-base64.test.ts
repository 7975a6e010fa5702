import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64Strict, decodeUtf8Strict } from './strict-base64.js';

describe('decodeBase64Strict', () => {
  it('decodes canonical standard base64', () => {
    assert.deepEqual(decodeBase64Strict('aGkgb3Nz'), Buffer.from('hi oss'));
    assert.deepEqual(decodeBase64Strict('+/8='), Buffer.of(0xfb, 0xff));
    assert.deepEqual(decodeBase64Strict(''), Buffer.alloc(0));
  });

  it('refuses what Buffer.from silently forgives: junk, whitespace, URL-safe letters, bad padding, stray bits', () => {
    for (const value of [
      'aGk*b3Nz',
      'aGkg b3Nz',
      'aGkg\nb3Nz',
      '-_8=',
      'aGk=b3Nz',
      'aGk===',
      'QR==',
      'Q',
      'aGkgb3Nz=',
    ]) {
      assert.equal(decodeBase64Strict(value), undefined, value);
      assert.equal(decodeBase64Strict(value, { requirePadding: false }), undefined, value);
    }
  });

  it('accepts missing padding only when asked to', () => {
    assert.equal(decodeBase64Strict('aGk'), undefined);
    assert.deepEqual(decodeBase64Strict('aGk', { requirePadding: false }), Buffer.from('hi'));
    assert.deepEqual(decodeBase64Strict('aGk=', { requirePadding: false }), Buffer.from('hi'));
  });
});

describe('decodeUtf8Strict', () => {
  it('decodes valid UTF-8, keeps a BOM and refuses invalid sequences', () => {
    assert.equal(decodeUtf8Strict(Buffer.from('中文')), '中文');
    assert.equal(decodeUtf8Strict(Buffer.of(0xef, 0xbb, 0xbf, 0x41)), '\ufeffA');
    assert.equal(decodeUtf8Strict(Buffer.of(0xc3, 0x28)), undefined);
    assert.equal(decodeUtf8Strict(Buffer.of(0xed, 0xa0, 0x80)), undefined); // encoded surrogate
  });
});
