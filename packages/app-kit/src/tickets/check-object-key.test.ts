import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkObjectKey } from './check-object-key.js';

describe('checkObjectKey', () => {
  it('accepts ordinary and unusual-but-safe keys', () => {
    for (const key of ['a', 'uploads/alice/x.png', 'a/..b/c', 'a..b', '中文/ü', 'x'.repeat(1023), 'dir/']) {
      assert.deepEqual(checkObjectKey(key), { ok: true }, key);
    }
  });

  it('refuses empty keys, control characters, leading separators, dot-dot segments and lone surrogates', () => {
    for (const key of [
      '',
      'a\u0000',
      'a\tb',
      'a\u001fb',
      'a\u007f',
      '/a',
      '\\a',
      '..',
      'a/..',
      '../a',
      'a\\..\\b',
      '\udc00x',
      'x\ud800',
    ]) {
      const verdict = checkObjectKey(key);
      assert.equal(verdict.ok, false, JSON.stringify(key));
      assert.equal(verdict.ok ? '' : verdict.code, 'InvalidObjectName');
    }
  });

  it('counts UTF-8 bytes, not characters, against the 1023-byte limit', () => {
    assert.deepEqual(checkObjectKey('é'.repeat(511)), { ok: true });
    const verdict = checkObjectKey('é'.repeat(512));
    assert.equal(verdict.ok ? '' : verdict.code, 'KeyTooLong');
  });
});
