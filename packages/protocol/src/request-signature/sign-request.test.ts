// Signing helpers: exact SDK output (URLs of §6.2, the STS vectors of §7.5) and the headers they add.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../errors/index.js';
import { presignUrlV1, signRequestV1Header } from './sign-request-v1.js';
import { presignUrlV4, signRequestV4Header } from './sign-request-v4.js';

const v4Common = {
  method: 'PUT',
  bucket: 'bucket',
  key: '1234+-/123/1.txt',
  query: {
    param1: 'value1',
    '+param1': 'value3',
    '|param1': 'value4',
    '+param2': '',
    '|param2': '',
    param2: '',
  },
  accessKeyId: 'ak',
  secret: 'sk',
  region: 'cn-hangzhou',
};
const v4Headers = { 'x-oss-head1': 'value', abc: 'value', ZAbc: 'value', XYZ: 'value' };

describe('presignUrlV1', () => {
  it('produces the Go SDK URLs of §6.2 byte for byte (sorted parameters, %2B / %3D, key path encoded)', () => {
    const origin = 'http://bucket.oss-cn-hangzhou.aliyuncs.com';
    const plain = presignUrlV1({
      method: 'GET',
      bucket: 'bucket',
      key: 'key',
      query: { versionId: 'versionId' },
      accessKeyId: 'ak',
      secret: 'sk',
      expiresUnixSeconds: 1699807420,
      origin,
    });
    assert.equal(
      plain.url,
      `${origin}/key?Expires=1699807420&OSSAccessKeyId=ak&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId`,
    );
    const sts = presignUrlV1({
      method: 'GET',
      bucket: 'bucket',
      key: 'key+123',
      query: { versionId: 'versionId' },
      accessKeyId: 'ak',
      secret: 'sk',
      securityToken: 'token',
      expiresUnixSeconds: 1699808204,
      origin,
    });
    assert.equal(
      sts.url,
      `${origin}/key%2B123?Expires=1699808204&OSSAccessKeyId=ak&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&security-token=token&versionId=versionId`,
    );
  });

  it('puts the bucket in the path for path-style targets and signs the same resource', () => {
    const common = {
      method: 'GET',
      bucket: 'b',
      key: 'a b',
      accessKeyId: 'ak',
      secret: 'sk',
      expiresUnixSeconds: 1,
    };
    const pathStyle = presignUrlV1({ ...common, origin: 'http://127.0.0.1:9000/', pathStyle: true });
    const virtual = presignUrlV1({ ...common, origin: 'http://b.localhost:9000' });
    assert.match(pathStyle.url, /^http:\/\/127\.0\.0\.1:9000\/b\/a%20b\?Expires=1&/);
    assert.equal(pathStyle.signature, virtual.signature);
  });

  it('rejects a negative or fractional Expires', () => {
    for (const expiresUnixSeconds of [-1, 1.5]) {
      assert.throws(
        () =>
          presignUrlV1({
            method: 'GET',
            bucket: 'b',
            key: 'k',
            accessKeyId: 'a',
            secret: 's',
            expiresUnixSeconds,
            origin: 'http://h',
          }),
        OssError,
      );
    }
  });
});

describe('signRequestV1Header', () => {
  it('sets x-oss-date (RFC 1123), the STS token header and replaces any differently cased copies', () => {
    const out = signRequestV1Header({
      method: 'PUT',
      bucket: 'b',
      key: 'k',
      headers: { 'X-OSS-Date': 'stale', 'Content-Type': 'text/plain' },
      accessKeyId: 'ak',
      secret: 'sk',
      securityToken: 'tok',
      nowMs: Date.UTC(2022, 11, 28, 10, 27, 41),
    });
    assert.deepEqual(Object.keys(out.headers).sort(), [
      'Content-Type',
      'authorization',
      'x-oss-date',
      'x-oss-security-token',
    ]);
    assert.equal(out.headers['x-oss-date'], 'Wed, 28 Dec 2022 10:27:41 GMT');
    assert.equal(
      out.stringToSign,
      'PUT\n\ntext/plain\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-security-token:tok\n/b/k',
    );
    assert.equal(out.headers['authorization'], `OSS ak:${out.signature}`);
  });
});

describe('presignUrlV4', () => {
  it('reproduces §7.5 V4-URL-2 (STS token) — x-oss-signature 3817ac9d…', () => {
    const out = presignUrlV4({
      ...v4Common,
      headers: { ...v4Headers, 'content-type': 'application/octet-stream' },
      securityToken: 'token',
      nowMs: 1702785388_000,
      expiresSeconds: 599,
      origin: 'http://bucket.oss-cn-hangzhou.aliyuncs.com',
    });
    assert.equal(out.signature, '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5');
    assert.ok(out.url.includes('&x-oss-security-token=token&'));
    assert.ok(out.url.includes('x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request'));
    assert.ok(
      out.url.startsWith('http://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-/123/1.txt?%2Bparam1=value3&'),
    );
  });

  it('strips a leading "oss-" from the region as ali-oss does', () => {
    const common = { ...v4Common, nowMs: 1702785388_000, expiresSeconds: 60, origin: 'http://h' };
    const a = presignUrlV4({ ...common, region: 'oss-cn-hangzhou' });
    const b = presignUrlV4(common);
    assert.equal(a.url, b.url);
  });

  it('refuses x-oss-expires outside 1…604800 with EC 0002-00000232', () => {
    for (const expiresSeconds of [0, 604801, 1.5]) {
      assert.throws(
        () => presignUrlV4({ ...v4Common, nowMs: 0, expiresSeconds, origin: 'http://h' }),
        (error: unknown) => error instanceof OssError && error.ec === '0002-00000232',
      );
    }
  });
});

describe('signRequestV4Header', () => {
  it('reproduces §7.5 V4-HDR-2 (STS token header) — Signature b94a3f99…', () => {
    const out = signRequestV4Header({
      ...v4Common,
      headers: { ...v4Headers, 'content-type': 'text/plain' },
      securityToken: 'token',
      nowMs: 1702784856_000,
    });
    assert.equal(
      out.headers['authorization'],
      'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
    );
    assert.equal(out.headers['x-oss-content-sha256'], 'UNSIGNED-PAYLOAD');
    assert.equal(out.headers['x-oss-date'], '20231217T034736Z');
  });

  it('lists the filtered additional headers exactly as Go does (§7.5 V4-HDR-3 with extra names)', () => {
    const out = signRequestV4Header({
      ...v4Common,
      headers: { ...v4Headers, 'content-type': 'text/plain' },
      additionalHeaders: ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'],
      nowMs: 1702747512_000,
    });
    assert.equal(
      out.headers['authorization'],
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
    );
  });
});
