import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64Strict, encodeBase64, encodeBase64Utf8 } from './base64-codec.js';

describe('encodeBase64', () => {
  it('matches Buffer for every length 0..64 and all byte values', () => {
    for (let length = 0; length <= 64; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff);
      assert.equal(encodeBase64(bytes), Buffer.from(bytes).toString('base64'));
    }
  });

  it('encodes text as UTF-8 first', () => {
    assert.equal(encodeBase64Utf8('用户/é'), Buffer.from('用户/é', 'utf8').toString('base64'));
  });
});

describe('decodeBase64Strict', () => {
  it('round-trips what encodeBase64 produces', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 53 + 7) & 0xff);
      assert.deepEqual(decodeBase64Strict(encodeBase64(bytes)), bytes);
    }
  });

  it('rejects the URL-safe alphabet', () => {
    assert.equal(decodeBase64Strict(Buffer.from([0xfb, 0xff]).toString('base64url') + '='), undefined);
    assert.equal(decodeBase64Strict('-_8='), undefined);
  });

  it('rejects missing padding, whitespace, junk and misplaced padding', () => {
    for (const text of [
      'YQ',
      'YQ=',
      'YW Jj',
      'YWJj\n',
      'YW=j',
      '=YWJ',
      'YQ===',
      '====',
      'YWJj!',
      'ＹＷＪｊ',
    ]) {
      assert.equal(decodeBase64Strict(text), undefined, text);
    }
  });

  it('rejects non-canonical trailing bits', () => {
    assert.deepEqual(decodeBase64Strict('QQ=='), Uint8Array.of(0x41));
    assert.equal(decodeBase64Strict('QR=='), undefined);
    assert.equal(decodeBase64Strict('QUJ='), undefined);
  });
});
