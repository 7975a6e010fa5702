import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError, type OssErrorCode } from '../errors/index.js';
import { detectPresigned } from './detect-presigned.js';

type Query = Array<[string, string]>;

const v4Base: Query = [
  ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
  ['x-oss-credential', 'ak/20231217/cn-hangzhou/oss/aliyun_v4_request'],
  ['x-oss-date', '20231217T025437Z'],
  ['x-oss-expires', '599'],
  ['x-oss-signature', 'a39966c6'],
];

function withParam(query: Query, name: string, value: string | undefined): Query {
  const rest = query.filter(([n]) => n !== name);
  return value === undefined ? rest : [...rest, [name, value]];
}

function assertOssError(query: Query, code: OssErrorCode, ec?: string): void {
  assert.throws(
    () => detectPresigned(query),
    (error: unknown) => {
      assert.ok(error instanceof OssError);
      assert.equal(error.code, code);
      if (ec !== undefined) assert.equal(error.ec, ec);
      return true;
    },
  );
}

describe('detectPresigned', () => {
  it('reports no query auth when none of the auth parameters is present', () => {
    assert.deepEqual(
      detectPresigned([
        ['x-oss-process', 'image/resize'],
        ['acl', ''],
      ]),
      { scheme: 'none' },
    );
  });

  it('reads V1 OSSAccessKeyId / Expires / Signature, first value winning (§6.2)', () => {
    const query: Query = [
      ['Signature', 'first='],
      ['OSSAccessKeyId', 'ak'],
      ['Expires', '1700000000'],
      ['Signature', 'second='],
    ];
    assert.deepEqual(detectPresigned(query), {
      scheme: 'v1',
      accessKeyId: 'ak',
      expires: '1700000000',
      expiresUnixSeconds: 1700000000,
      signature: 'first=',
    });
  });

  it('answers AccessDenied when any of the V1 trio is missing or empty (D12)', () => {
    const full: Query = [
      ['OSSAccessKeyId', 'ak'],
      ['Expires', '1700000000'],
      ['Signature', 'sig'],
    ];
    for (const name of ['OSSAccessKeyId', 'Expires', 'Signature']) {
      assertOssError(withParam(full, name, undefined), 'AccessDenied');
      assertOssError(withParam(full, name, ''), 'AccessDenied');
    }
  });

  it('rejects a non-numeric V1 Expires with InvalidArgument', () => {
    assertOssError(
      [
        ['OSSAccessKeyId', 'ak'],
        ['Expires', '17e8'],
        ['Signature', 'sig'],
      ],
      'InvalidArgument',
    );
  });

  it('reads V4 parameters including additional headers', () => {
    const parsed = detectPresigned(withParam(v4Base, 'x-oss-additional-headers', 'abc;zabc'));
    assert.deepEqual(parsed, {
      scheme: 'v4',
      accessKeyId: 'ak',
      date: '20231217',
      region: 'cn-hangzhou',
      product: 'oss',
      dateTime: '20231217T025437Z',
      expiresSeconds: 599,
      additionalHeaders: ['abc', 'zabc'],
      signature: 'a39966c6',
    });
  });

  it('accepts x-oss-expires 1 and 604800 and rejects 0, 604801, negative and non-numeric (EC 0002-00000232)', () => {
    for (const ok of ['1', '604800']) {
      const parsed = detectPresigned(withParam(v4Base, 'x-oss-expires', ok));
      assert.equal(parsed.scheme === 'v4' && parsed.expiresSeconds, Number(ok));
    }
    for (const bad of ['0', '604801', '-1', '1.5', 'abc', '', '+5']) {
      assertOssError(withParam(v4Base, 'x-oss-expires', bad), 'InvalidArgument', '0002-00000232');
    }
    assertOssError(withParam(v4Base, 'x-oss-expires', undefined), 'InvalidArgument', '0002-00000232');
  });

  it('rejects an empty V4 credential (EC 0002-00000218), a malformed one (0002-00000710) and another version', () => {
    assertOssError(withParam(v4Base, 'x-oss-credential', ''), 'InvalidArgument', '0002-00000218');
    assertOssError(
      withParam(v4Base, 'x-oss-credential', 'ak/20231217/cn-hangzhou/oss/x'),
      'InvalidArgument',
      '0002-00000710',
    );
    assertOssError(withParam(v4Base, 'x-oss-signature-version', 'OSS2'), 'InvalidArgument');
  });

  it('answers AccessDenied when the V4 date or signature is missing', () => {
    assertOssError(withParam(v4Base, 'x-oss-date', undefined), 'AccessDenied');
    assertOssError(withParam(v4Base, 'x-oss-signature', undefined), 'AccessDenied');
  });

  it('rejects V1 and V4 query auth in one request with InvalidArgument', () => {
    assertOssError([...v4Base, ['OSSAccessKeyId', 'ak']], 'InvalidArgument');
  });
});
