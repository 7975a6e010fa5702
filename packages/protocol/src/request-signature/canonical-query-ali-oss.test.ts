import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildAliOssCanonicalQueriesV4 } from './canonical-query-ali-oss.js';

describe('buildAliOssCanonicalQueriesV4', () => {
  it('gives one query when no value is empty', () => {
    const pairs: Array<[string, string]> = [
      ['uploadId', 'a b'],
      ['partNumber', '2'],
    ];
    assert.deepEqual(buildAliOssCanonicalQueriesV4(pairs), ['partNumber=2&uploadId=a%20b']);
  });

  it('writes empty values three ways: sub-resources bare and others `name=`, all `name=`, all bare', () => {
    const pairs: Array<[string, string]> = [
      ['prefix', ''],
      ['max-uploads', '5'],
      ['uploads', ''],
    ];
    assert.deepEqual(buildAliOssCanonicalQueriesV4(pairs), [
      'max-uploads=5&prefix=&uploads',
      'max-uploads=5&prefix=&uploads=',
      'max-uploads=5&prefix&uploads',
    ]);
  });

  it('sorts decoded names by locale collation and encodes them as §7.2 does', () => {
    const pairs: Array<[string, string]> = [
      ['Zeta', '1'],
      ['x-y', '/'],
      ['x_y', ' '],
      ['aB', '4'],
      ['a_b', '3'],
      ['+p', 'é'],
    ];
    assert.deepEqual(buildAliOssCanonicalQueriesV4(pairs), ['%2Bp=%C3%A9&a_b=3&aB=4&x_y=%20&x-y=%2F&Zeta=1']);
  });

  it('keeps a repeated name in request order', () => {
    const pairs: Array<[string, string]> = [
      ['k', '2'],
      ['K', '0'],
      ['k', '1'],
    ];
    assert.deepEqual(buildAliOssCanonicalQueriesV4(pairs), ['k=2&k=1&K=0']);
  });
});
