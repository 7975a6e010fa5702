import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../errors/oss-error.js';
import { buildV4Credential, parseV4Credential } from './v4-credential.js';

function assertMalformed(credential: string): void {
  assert.throws(
    () => parseV4Credential(credential),
    (error: unknown) =>
      error instanceof OssError &&
      error.code === 'InvalidArgument' &&
      error.status === 400 &&
      error.ec === '0002-00000710' &&
      error.extra[0]?.[1] === 'x-oss-credential',
    credential,
  );
}

describe('parseV4Credential', () => {
  it('splits a well-formed credential', () => {
    assert.deepEqual(parseV4Credential('AKIDEXAMPLE/20231203/cn-hangzhou/oss/aliyun_v4_request'), {
      accessKeyId: 'AKIDEXAMPLE',
      date: '20231203',
      region: 'cn-hangzhou',
      product: 'oss',
    });
  });

  it('throws InvalidArgument with EC 0002-00000710 for malformed credentials', () => {
    for (const credential of [
      '',
      'AKIDEXAMPLE/20231203/cn-hangzhou/oss',
      'AKIDEXAMPLE/20231203/cn-hangzhou/oss/aliyun_v4_request/x',
      'AKIDEXAMPLE/20231203/cn-hangzhou/oss/aws4_request',
      'AKIDEXAMPLE/20231203/cn-hangzhou/s3/aliyun_v4_request',
      'AKIDEXAMPLE/2023-12-03/cn-hangzhou/oss/aliyun_v4_request',
      'AKIDEXAMPLE/20231332/cn-hangzhou/oss/aliyun_v4_request',
      'AKIDEXAMPLE/20230229/cn-hangzhou/oss/aliyun_v4_request',
      '/20231203/cn-hangzhou/oss/aliyun_v4_request',
      'AKIDEXAMPLE/20231203//oss/aliyun_v4_request',
      'AK ID/20231203/cn-hangzhou/oss/aliyun_v4_request',
      'AKIDEXAMPLE/20231203/cn hangzhou/oss/aliyun_v4_request',
      'AKIDEXAMPLE/20231203/cn-hangzhou/OSS/aliyun_v4_request',
    ]) {
      assertMalformed(credential);
    }
  });
});

describe('buildV4Credential', () => {
  it('builds the credential that parses back to its parts', () => {
    const credential = buildV4Credential({ accessKeyId: 'LTAI5t', date: '20250101', region: 'cn-hangzhou' });
    assert.equal(credential, 'LTAI5t/20250101/cn-hangzhou/oss/aliyun_v4_request');
  });

  it('refuses parts that would change the scope layout', () => {
    assert.throws(
      () => buildV4Credential({ accessKeyId: 'a/b', date: '20250101', region: 'cn-hangzhou' }),
      OssError,
    );
    assert.throws(
      () => buildV4Credential({ accessKeyId: 'a', date: '2025010', region: 'cn-hangzhou' }),
      OssError,
    );
  });
});
