import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../errors/index.js';
import { parseAuthorizationHeader } from './parse-authorization-header.js';

const credential = 'ak/20231216/cn-hangzhou/oss/aliyun_v4_request';
const sig = 'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';
const expectedV4 = {
  scheme: 'v4',
  accessKeyId: 'ak',
  date: '20231216',
  region: 'cn-hangzhou',
  product: 'oss',
  additionalHeaders: ['abc', 'zabc'],
  signature: sig,
};

function assertInvalidArgument(value: string, ec?: string): void {
  assert.throws(
    () => parseAuthorizationHeader(value),
    (error: unknown) => {
      assert.ok(error instanceof OssError, `${value}: OssError`);
      assert.equal(error.code, 'InvalidArgument', value);
      assert.equal(error.status, 400);
      if (ec !== undefined) assert.equal(error.ec, ec, value);
      return true;
    },
  );
}

describe('parseAuthorizationHeader', () => {
  it('reads V1 "OSS <AK>:<signature>", STS-style access key ids included', () => {
    assert.deepEqual(parseAuthorizationHeader('OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M='), {
      scheme: 'v1',
      accessKeyId: 'ak',
      signature: 'kSHKmLxlyEAKtZPkJhG9bZb5k7M=',
    });
    assert.equal(parseAuthorizationHeader('  OSS  STS.NTx9:abc=  ').accessKeyId, 'STS.NTx9');
  });

  it('reads every V4 layout SDKs send: no spaces, ", " separators, oss2 order, any field order', () => {
    for (const value of [
      `OSS4-HMAC-SHA256 Credential=${credential},AdditionalHeaders=abc;zabc,Signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=${credential}, AdditionalHeaders=abc;zabc, Signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=${credential}, Signature=${sig}, AdditionalHeaders=abc;zabc`,
      `OSS4-HMAC-SHA256 Signature=${sig} ,AdditionalHeaders=abc;zabc ,  Credential=${credential}`,
    ]) {
      assert.deepEqual(parseAuthorizationHeader(value), expectedV4, value);
    }
  });

  it('reads a V4 value without AdditionalHeaders, or with an empty one, as no additional headers', () => {
    for (const extra of ['', ',AdditionalHeaders=']) {
      const parsed = parseAuthorizationHeader(
        `OSS4-HMAC-SHA256 Credential=${credential}${extra},Signature=${sig}`,
      );
      assert.deepEqual(parsed, { ...expectedV4, additionalHeaders: [] });
    }
  });

  it('rejects malformed V1 values with InvalidArgument', () => {
    for (const value of [
      '',
      'OSS',
      'OSS ak',
      'OSS ak:',
      'OSS :sig',
      'OSS ak:si g',
      'oss ak:sig',
      'OSS2 ak:sig',
    ]) {
      assertInvalidArgument(value);
    }
  });

  it('rejects unknown schemes with InvalidArgument', () => {
    for (const value of [
      'Bearer abc',
      'AWS4-HMAC-SHA256 Credential=a/b/c/s3/aws4_request, Signature=x',
      'OSS2 AccessKeyId:ak,Signature:x',
    ]) {
      assertInvalidArgument(value);
    }
  });

  it('rejects malformed V4 field lists with InvalidArgument', () => {
    for (const value of [
      'OSS4-HMAC-SHA256',
      `OSS4-HMAC-SHA256 Credential=${credential}`,
      `OSS4-HMAC-SHA256 Signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=${credential},Signature=`,
      `OSS4-HMAC-SHA256 Credential=${credential},Signature=${sig},Signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=${credential},Signature=${sig},Extra=1`,
      `OSS4-HMAC-SHA256 Credential=${credential},,Signature=${sig}`,
      `OSS4-HMAC-SHA256 credential=${credential},signature=${sig}`,
      `OSS4-HMAC-SHA256 Credential=${credential};Signature=${sig}`,
    ]) {
      assertInvalidArgument(value);
    }
  });

  it('rejects a V4 credential with a wrong terminator, bad date or missing part (EC 0002-00000710)', () => {
    for (const bad of [
      'ak/20231216/cn-hangzhou/oss/aws4_request',
      'ak/2023-12-16/cn-hangzhou/oss/aliyun_v4_request',
      'ak/20231216/oss/aliyun_v4_request',
      '/20231216/cn-hangzhou/oss/aliyun_v4_request',
      'ak/20231216//oss/aliyun_v4_request',
      'ak/20231216/cn-hangzhou/oss/aliyun_v4_request/extra',
    ]) {
      assertInvalidArgument(`OSS4-HMAC-SHA256 Credential=${bad},Signature=${sig}`, '0002-00000710');
    }
  });
});
