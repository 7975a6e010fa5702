import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildMultipartEtag } from './multipart-etag.js';

// Golden vectors from MinIO's getCompleteMultipartMD5 tests (cmd/object-api-utils_test.go), which
// produce the S3 multipart ETag that OSS also follows (oss-protocol §11); upper-cased and quoted here.
const minioPart1 = 'cf1f738a5924e645913c984e0fe3d708';
const minioPart2 = '9ccbc9a80eee7fb6fdd22441db2aedbd';

describe('buildMultipartEtag', () => {
  it('matches the MinIO vector for one part', () => {
    assert.equal(buildMultipartEtag([minioPart1]), '"10DC1617FBCF0BD0858048CB96E6BD77-1"');
  });

  it('matches the MinIO vector for two parts', () => {
    assert.equal(buildMultipartEtag([minioPart1, minioPart2]), '"0239A86B5266BB624F0AC60BA2AED6C8-2"');
  });

  it('accepts part ETags quoted and in either case, as OSS returns and clients echo them', () => {
    const quotedUpper = [minioPart1, minioPart2].map((hex) => `"${hex.toUpperCase()}"`);
    assert.equal(buildMultipartEtag(quotedUpper), '"0239A86B5266BB624F0AC60BA2AED6C8-2"');
  });

  it('hashes the binary digests of the parts in the given order, and counts them', () => {
    const parts = ['alpha', 'beta', 'gamma'].map((text) => createHash('md5').update(text).digest());
    const expected = createHash('md5').update(Buffer.concat(parts)).digest('hex').toUpperCase();
    const etags = parts.map((md5) => `"${md5.toString('hex').toUpperCase()}"`);
    assert.equal(buildMultipartEtag(etags), `"${expected}-3"`);
    assert.notEqual(buildMultipartEtag([...etags].reverse()), `"${expected}-3"`);
  });

  it('refuses an empty list and ETags that are not 32 hex digits', () => {
    assert.throws(() => buildMultipartEtag([]), RangeError);
    for (const bad of [
      'wrong-md5-hash-string',
      `"${minioPart1}-2"`,
      minioPart1.slice(1),
      `${minioPart1}"`,
      '',
    ])
      assert.throws(() => buildMultipartEtag([bad]), RangeError, bad);
  });
});
