import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRandomObjectKey,
  buildUserKeyPrefix,
  encodeUserSegment,
  extractFileExtension,
} from './build-object-key.js';

describe('encodeUserSegment', () => {
  it('keeps URL-safe ids and percent-encodes everything else, dots and percent signs included', () => {
    assert.equal(encodeUserSegment('alice_01-B'), 'alice_01-B');
    assert.equal(encodeUserSegment('..'), '%2E%2E');
    assert.equal(encodeUserSegment('a/b'), 'a%2Fb');
    assert.equal(encodeUserSegment('50%'), '50%25');
    assert.equal(encodeUserSegment('ü 中'), '%C3%BC%20%E4%B8%AD');
  });

  it('never maps two different user ids to the same folder', () => {
    const ids = ['a.b', 'a_b', 'a%2Eb', 'a%b', 'A.b', 'a b', 'a+b'];
    assert.equal(new Set(ids.map(encodeUserSegment)).size, ids.length);
  });

  it('builds the default prefix under uploads/', () => {
    assert.equal(buildUserKeyPrefix('alice'), 'uploads/alice/');
    assert.equal(buildUserKeyPrefix('bob', 'avatars/'), 'avatars/bob/');
  });
});

describe('extractFileExtension', () => {
  it('keeps a short alphanumeric extension of the basename, lower-cased', () => {
    assert.equal(extractFileExtension('Photo.JPG'), 'jpg');
    assert.equal(extractFileExtension('C:\\dir\\archive.tar.gz'), 'gz');
    assert.equal(extractFileExtension('../../x.png'), 'png');
  });

  it('drops anything that is not a plain extension', () => {
    for (const name of [
      undefined,
      'README',
      '.bashrc',
      'x.',
      'a.p"g',
      'a.ph p',
      'a.png/evil',
      'a.' + 'x'.repeat(17),
      'a.ｐｎｇ',
    ]) {
      assert.equal(extractFileExtension(name), undefined, String(name));
    }
  });
});

describe('buildRandomObjectKey', () => {
  it('appends 32 hex characters and the extension', () => {
    assert.equal(buildRandomObjectKey('u/', Buffer.alloc(16, 0xab), 'png'), `u/${'ab'.repeat(16)}.png`);
    assert.equal(buildRandomObjectKey('u/', Buffer.alloc(16, 0), undefined), `u/${'00'.repeat(16)}`);
  });
});
