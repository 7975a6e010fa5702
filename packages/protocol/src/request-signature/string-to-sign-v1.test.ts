import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildStringToSignV1, signV1 } from './string-to-sign-v1.js';

const date = 'Wed, 28 Dec 2022 10:27:41 GMT';

describe('buildStringToSignV1', () => {
  it('fills the date line from x-oss-date when present, even if Date is also sent', () => {
    const sts = buildStringToSignV1({
      method: 'get',
      headers: { Date: 'Thu, 17 Nov 2005 18:49:58 GMT', 'X-Oss-Date': date },
      bucket: 'b',
      key: 'k',
    });
    assert.equal(sts, `GET\n\n\n${date}\nx-oss-date:${date}\n/b/k`);
  });

  it('falls back to Date, and uses the given Expires for presigned URLs instead of either', () => {
    const headers = { date };
    assert.equal(buildStringToSignV1({ method: 'GET', headers, bucket: 'b' }), `GET\n\n\n${date}\n/b/`);
    assert.equal(
      buildStringToSignV1({ method: 'GET', headers, bucket: 'b', dateOrExpires: '1700000000' }),
      'GET\n\n\n1700000000\n/b/',
    );
  });

  it('canonicalizes x-oss- headers: lower-case names, trimmed values, sorted, repeated values joined by ","', () => {
    const sts = buildStringToSignV1({
      method: 'PUT',
      headers: {
        'Content-Type': 'text/plain',
        'content-md5': 'md5==',
        'X-OSS-Meta-B': '  two  ',
        'x-oss-meta-a': ['1', ' 2 '],
        'x-oss-date': date,
        'cache-control': 'no-cache',
      },
      bucket: 'b',
      key: 'k',
    });
    assert.equal(
      sts,
      `PUT\nmd5==\ntext/plain\n${date}\nx-oss-date:${date}\nx-oss-meta-a:1,2\nx-oss-meta-b:two\n/b/k`,
    );
  });
});

describe('signV1', () => {
  it('is Base64(HMAC-SHA1(secret, UTF-8 string to sign)) — the D11 documentation example', () => {
    const sts =
      'PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\n' +
      'x-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson';
    assert.equal(signV1(sts, 'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV'), '26NBxoKdsyly4EDv6inkoDft/yA=');
  });
});
