import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildCanonicalQueryV4,
  buildCanonicalRequestCandidatesV4,
  buildCanonicalRequestV4,
  buildCanonicalUriV4,
  filterAdditionalHeadersV4,
} from './canonical-request-v4.js';

describe('buildCanonicalUriV4', () => {
  it('encodes everything but A-Za-z0-9-_.~ as upper-case %XX of UTF-8 bytes and keeps "/"', () => {
    assert.equal(
      buildCanonicalUriV4('b', "a b+c~d*e!'()/é€.txt"),
      '/b/a%20b%2Bc~d%2Ae%21%27%28%29/%C3%A9%E2%82%AC.txt',
    );
  });

  it('is "/" without a bucket and "/<bucket>/" without a key', () => {
    assert.equal(buildCanonicalUriV4(undefined, undefined), '/');
    assert.equal(buildCanonicalUriV4('b', undefined), '/b/');
  });
});

describe('buildCanonicalQueryV4', () => {
  it('encodes names and values (a "/" too), sorts by encoded name and writes a bare name for an empty value', () => {
    const query: Array<[string, string]> = [
      ['prefix', 'a/b c'],
      ['|x', ''],
      ['+y', '1'],
      ['max-keys', '10'],
    ];
    assert.equal(buildCanonicalQueryV4(query, false), '%2By=1&%7Cx&max-keys=10&prefix=a%2Fb%20c');
  });

  it('leaves x-oss-signature out only for presigned URLs', () => {
    const query: Array<[string, string]> = [
      ['x-oss-signature', 'abc'],
      ['a', '1'],
    ];
    assert.equal(buildCanonicalQueryV4(query, true), 'a=1');
    assert.equal(buildCanonicalQueryV4(query, false), 'a=1&x-oss-signature=abc');
  });

  it('keeps every occurrence of a repeated name, in request order', () => {
    const query: Array<[string, string]> = [
      ['k', '2'],
      ['a', ''],
      ['k', '1'],
    ];
    assert.equal(buildCanonicalQueryV4(query, false), 'a&k=2&k=1');
  });
});

describe('filterAdditionalHeadersV4', () => {
  const headers = { 'x-oss-head1': 'v', abc: 'v', ZAbc: 'v', host: 'b.example', empty: '' };

  it('lower-cases, de-duplicates, sorts and drops default-signed, absent and empty headers (§7.2)', () => {
    assert.deepEqual(
      filterAdditionalHeadersV4(headers, ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc', 'ABC']),
      ['abc', 'zabc'],
    );
    assert.deepEqual(
      filterAdditionalHeadersV4(headers, ['Content-Type', 'content-md5', 'missing', 'empty']),
      [],
    );
  });

  it('accepts host as an additional header (D14 example)', () => {
    assert.deepEqual(filterAdditionalHeadersV4(headers, ['host']), ['host']);
  });
});

describe('buildCanonicalRequestV4', () => {
  it('signs content-type, content-md5, every x-oss-* header and the named extras, and nothing else', () => {
    const canonical = buildCanonicalRequestV4({
      method: 'post',
      bucket: 'b',
      key: 'k',
      query: [['uploads', '']],
      headers: {
        'Content-MD5': 'md5==',
        'content-type': 'text/plain',
        'x-oss-meta-a': [' 1', '2 '],
        'user-agent': 'ua',
        Host: 'b.example',
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      },
      additionalHeaders: ['host'],
    });
    assert.equal(
      canonical,
      'POST\n/b/k\nuploads\n' +
        'content-md5:md5==\ncontent-type:text/plain\nhost:b.example\n' +
        'x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-meta-a:1,2\n\nhost\nUNSIGNED-PAYLOAD',
    );
  });

  it('uses UNSIGNED-PAYLOAD as the hashed payload when no x-oss-content-sha256 header is sent', () => {
    const canonical = buildCanonicalRequestV4({ method: 'GET', presigned: true });
    assert.equal(canonical, 'GET\n/\n\n\n\nUNSIGNED-PAYLOAD');
  });
});

describe('buildCanonicalRequestCandidatesV4', () => {
  const base = { method: 'GET', bucket: 'b', headers: { 'x-oss-date': '20240501T120000Z' } };

  it('is the §7.2 request alone when no value is empty and both orders agree', () => {
    const input = {
      ...base,
      query: [
        ['uploadId', 'u'],
        ['partNumber', '2'],
      ] as const,
    };
    assert.deepEqual(buildCanonicalRequestCandidatesV4(input), [buildCanonicalRequestV4(input)]);
  });

  it('puts the §7.2 request first, then the distinct ali-oss queries, the other lines unchanged', () => {
    const input = {
      ...base,
      query: [
        ['Zeta', ''],
        ['alpha', '1'],
      ] as const,
      presigned: true,
    };
    const lines = (query: string): string =>
      `GET\n/b/\n${query}\nx-oss-date:20240501T120000Z\n\n\nUNSIGNED-PAYLOAD`;
    assert.deepEqual(buildCanonicalRequestCandidatesV4(input), [
      lines('Zeta&alpha=1'),
      lines('alpha=1&Zeta='),
      lines('alpha=1&Zeta'),
    ]);
  });
});
