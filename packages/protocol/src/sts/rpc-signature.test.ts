import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { buildRpcStringToSign, percentEncodeRpc, signRpcRequest } from './rpc-signature.js';

interface AliOssStsInternals {
  _getSignature(method: string, params: Record<string, string | number>, secret: string): string;
  _escape(text: string): string;
}

const require = createRequire(import.meta.url);
const { STS } = require('ali-oss') as { STS: new (options: object) => AliOssStsInternals };
const aliOssSts = new STS({ accessKeyId: 'ak', accessKeySecret: 'sk' });

const params: Record<string, string> = {
  Action: 'AssumeRole',
  RoleArn: 'acs:ram::1234567890:role/upload-role',
  RoleSessionName: 'user-42',
  DurationSeconds: '900',
  Policy:
    '{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:PutObject"],"Resource":["acs:oss:*:*:b/users/42/*"]}]}',
  Format: 'JSON',
  Version: '2015-04-01',
  AccessKeyId: 'ak',
  SignatureMethod: 'HMAC-SHA1',
  SignatureVersion: '1.0',
  SignatureNonce: "0.123 (it's *!) ~ü",
  Timestamp: '2024-05-01T12:00:00.000Z',
};

describe('RPC signature (Alibaba Cloud SignatureVersion 1.0)', () => {
  it('percent-encodes exactly like ali-oss lib/sts.js _escape', () => {
    for (const text of ["a b*c!d'e(f)g~h", 'ü/é?=&+', '-_.~', '']) {
      assert.equal(percentEncodeRpc(text), aliOssSts._escape(text));
    }
  });

  it('produces the signature ali-oss computes for the same parameters', () => {
    const expected = aliOssSts._getSignature('POST', params, 'test-secret');
    assert.equal(signRpcRequest('POST', new Map(Object.entries(params)), 'test-secret'), expected);
  });

  it('signs the HTTP method, so a GET and a POST of one request differ', () => {
    const map = new Map(Object.entries(params));
    assert.notEqual(signRpcRequest('GET', map, 's'), signRpcRequest('POST', map, 's'));
    assert.equal(signRpcRequest('GET', map, 's'), aliOssSts._getSignature('GET', params, 's'));
  });

  it('leaves Signature itself out of the string to sign', () => {
    const map = new Map(Object.entries(params));
    const before = buildRpcStringToSign('POST', map);
    map.set('Signature', 'whatever');
    assert.equal(buildRpcStringToSign('POST', map), before);
    assert.match(before, /^POST&%2F&AccessKeyId%3Dak%26Action%3DAssumeRole%26/);
  });
});
