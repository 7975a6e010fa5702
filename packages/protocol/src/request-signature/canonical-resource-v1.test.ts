import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCanonicalResourceV1 } from './canonical-resource-v1.js';
import { v1SubResourceNames } from './v1-sub-resources.js';

describe('buildCanonicalResourceV1', () => {
  it('is / without a bucket, /<bucket>/ without a key, and keeps the key raw (not URL-encoded)', () => {
    assert.equal(buildCanonicalResourceV1({ query: {} }), '/');
    assert.equal(buildCanonicalResourceV1({ bucket: 'b', query: {} }), '/b/');
    assert.equal(
      buildCanonicalResourceV1({ bucket: 'b', key: 'a b/c+d/é.txt', query: {} }),
      '/b/a b/c+d/é.txt',
    );
  });

  it('signs every name of the §6.1 whitelist (all SDK lists), each one on its own', () => {
    assert.equal(v1SubResourceNames.size, 102);
    for (const name of v1SubResourceNames) {
      assert.equal(
        buildCanonicalResourceV1({ bucket: 'b', key: 'k', query: [[name, 'v']] }),
        `/b/k?${name}=v`,
      );
    }
  });

  it('signs any x-oss-* query parameter, even one no SDK lists', () => {
    assert.equal(
      buildCanonicalResourceV1({ bucket: 'b', query: [['x-oss-something-new', '1']] }),
      '/b/?x-oss-something-new=1',
    );
  });

  it('drops parameters that are not sub-resources, matching names case-sensitively', () => {
    const query = {
      prefix: 'a/',
      'max-keys': '10',
      marker: 'm',
      'encoding-type': 'url',
      ACL: '',
      UploadId: 'x',
    };
    assert.equal(buildCanonicalResourceV1({ bucket: 'b', query }), '/b/');
  });

  it('sorts sub-resources by name in byte order and writes a bare name for an empty value', () => {
    const query: Array<[string, string]> = [
      ['uploads', ''],
      ['uploadId', 'u1'],
      ['partNumber', '3'],
      ['acl', ''],
    ];
    assert.equal(
      buildCanonicalResourceV1({ bucket: 'b', key: 'k', query }),
      '/b/k?acl&partNumber=3&uploadId=u1&uploads',
    );
  });

  it('signs decoded values without re-encoding them', () => {
    const query = { 'response-content-disposition': 'attachment; filename="a b&c.txt"' };
    assert.equal(
      buildCanonicalResourceV1({ bucket: 'b', key: 'k', query }),
      '/b/k?response-content-disposition=attachment; filename="a b&c.txt"',
    );
  });

  it('uses the first value of a repeated sub-resource (§6.2 first configured value)', () => {
    const query: Array<[string, string]> = [
      ['versionId', 'first'],
      ['versionId', 'second'],
    ];
    assert.equal(buildCanonicalResourceV1({ bucket: 'b', key: 'k', query }), '/b/k?versionId=first');
  });
});
