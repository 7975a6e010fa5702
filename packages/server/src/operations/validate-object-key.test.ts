import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { maxObjectKeyBytes, validateObjectKey } from './validate-object-key.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof OssError ? error.code : 'not-an-oss-error';
  }
}

describe('validateObjectKey', () => {
  it('accepts ordinary keys, including XML-special characters and non-ASCII text', () => {
    for (const key of [
      'a',
      'dir/sub/file.txt',
      'a&b<c>"d\'',
      ']]>',
      '中文/ファイル.png',
      'tab\u00a0nbsp',
      'a//b',
    ]) {
      assert.equal(validateObjectKey(key), key);
    }
  });

  it('rejects an empty key and keys starting with a slash or backslash as InvalidObjectName', () => {
    assert.equal(
      codeOf(() => validateObjectKey('')),
      'InvalidObjectName',
    );
    assert.equal(
      codeOf(() => validateObjectKey('/abs')),
      'InvalidObjectName',
    );
    assert.equal(
      codeOf(() => validateObjectKey('\\win')),
      'InvalidObjectName',
    );
  });

  it('rejects every C0 control character, tab and newline included', () => {
    for (let code = 0; code < 0x20; code += 1) {
      assert.equal(
        codeOf(() => validateObjectKey(`a${String.fromCharCode(code)}b`)),
        'InvalidObjectName',
      );
    }
  });

  it('rejects a key holding an unpaired surrogate', () => {
    assert.equal(
      codeOf(() => validateObjectKey('a\uD800b')),
      'InvalidObjectName',
    );
    assert.equal(validateObjectKey('emoji-\u{1F600}'), 'emoji-\u{1F600}');
  });

  it('counts the limit in UTF-8 bytes: 1023 bytes pass, 1024 are KeyTooLong', () => {
    assert.equal(validateObjectKey('a'.repeat(maxObjectKeyBytes)).length, 1023);
    assert.equal(
      codeOf(() => validateObjectKey('a'.repeat(1024))),
      'KeyTooLong',
    );
    // 341 three-byte characters = 1023 bytes; one more ASCII byte tips it over.
    assert.equal(
      codeOf(() => validateObjectKey('中'.repeat(341))),
      undefined,
    );
    assert.equal(
      codeOf(() => validateObjectKey(`${'中'.repeat(341)}a`)),
      'KeyTooLong',
    );
  });
});
