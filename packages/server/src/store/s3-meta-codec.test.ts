import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from './object-store.js';
import { decodeObjectMeta, encodeMetaName, encodeMetaValue, encodeObjectHeaders } from './s3-meta-codec.js';

const meta: ObjectMeta = {
  bucket: 'b',
  key: 'k',
  size: 3,
  etag: '"900150983CD24FB0D6963F7D28E17F72"',
  contentMd5: 'kAFQmDzST7DWlj99KOF/cg==',
  crc64: '18446744073709551615',
  contentType: 'text/plain; charset=utf-8',
  lastModifiedMs: 1_700_000_000_123,
  headers: { 'Cache-Control': 'no-cache', 'Content-Disposition': 'attachment; filename="résumé.pdf"' },
  userMeta: Object.fromEntries([
    ['uid', '42'],
    ['__proto__', 'plain entry'],
    ['名前', '値 with  two spaces'],
    ['upcall', 'mine, not the gateway’s'],
    ['empty', ''],
    ['padded', ' x '],
    ['looks-encoded', '=?UTF-8?B?eA==?='],
  ]),
  acl: 'public-read',
  storageClass: 'IA',
};

/** What a backend gives back for stored metadata: names lower-cased (Ceph also turns `_` into `-`). */
function asBackendReturnsIt(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [name.toLowerCase().replace(/_/g, '-'), value]),
  );
}

describe('S3 metadata codec', () => {
  it('round-trips every field, odd user-meta names and values included', () => {
    const headers = encodeObjectHeaders(meta);
    const decoded = decodeObjectMeta('b', 'k', { size: 3, metadata: asBackendReturnsIt(headers.Metadata) });
    assert.deepEqual(decoded, meta);
    assert.equal(Object.getPrototypeOf(decoded.userMeta), Object.prototype);
  });

  it('sends only header-safe text: printable ASCII, no leading, trailing or doubled spaces', () => {
    const headers = encodeObjectHeaders(meta);
    for (const [name, value] of Object.entries(headers.Metadata)) {
      assert.match(name, /^[a-z0-9-]+$/);
      assert.match(value, /^[\x21-\x7e]+( [\x21-\x7e]+)*$/, `value of ${name}`);
    }
  });

  it('keeps plain user-meta entries readable for other S3 tools and sets native headers', () => {
    const headers = encodeObjectHeaders(meta);
    assert.equal(headers.Metadata.uid, '42');
    assert.equal(headers.ContentType, 'text/plain; charset=utf-8');
    assert.equal(headers.CacheControl, 'no-cache');
    assert.equal(headers.ContentDisposition, undefined, 'non-ASCII is kept only in the gateway fields');
  });

  it('encodes names outside [a-z0-9-] and names claiming the gateway prefix as hex', () => {
    assert.equal(encodeMetaName('plain-name'), 'plain-name');
    assert.equal(encodeMetaName('a_b'), 'upcall-n-615f62');
    assert.equal(encodeMetaName('upcall'), 'upcall-n-757063616c6c');
    assert.equal(encodeMetaName('Upper'), 'upcall-n-5570706572');
  });

  it('encodes values that would not survive a header as RFC 2047 base64', () => {
    assert.equal(encodeMetaValue('simple value'), 'simple value');
    assert.equal(encodeMetaValue('é'), '=?UTF-8?B?w6k=?=');
    assert.equal(encodeMetaValue(''), '=?UTF-8?B??=');
    assert.equal(encodeMetaValue(' x'), '=?UTF-8?B?IHg=?=');
  });

  it('describes an object written around the gateway with what the backend knows', () => {
    const decoded = decodeObjectMeta('b', 'foreign', {
      size: 5,
      metadata: { owner: 'ops' },
      contentType: 'image/png',
      etag: '"5d41402abc4b2a76b9719d911017c592"',
      lastModified: new Date(1_700_000_000_000),
    });
    assert.deepEqual(decoded, {
      bucket: 'b',
      key: 'foreign',
      size: 5,
      etag: '"5D41402ABC4B2A76B9719D911017C592"',
      contentMd5: '',
      crc64: '',
      contentType: 'image/png',
      lastModifiedMs: 1_700_000_000_000,
      headers: {},
      userMeta: { owner: 'ops' },
      acl: 'default',
      storageClass: 'Standard',
    });
  });

  it('treats damaged gateway fields as absent rather than trusting them', () => {
    const decoded = decodeObjectMeta('b', 'k', {
      size: 1,
      metadata: { upcall: '{"v":1,"etag":5}' },
      etag: '"ab"',
    });
    assert.equal(decoded.etag, '"AB"');
    assert.deepEqual(decoded.userMeta, {});
  });
});
