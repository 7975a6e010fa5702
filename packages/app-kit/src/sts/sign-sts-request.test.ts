import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { percentEncodeRpc, signStsRequest } from './sign-sts-request.js';

interface AliOssStsInternals {
  _getSignature(method: string, params: Record<string, string>, secret: string): string;
  _escape(text: string): string;
}

const require = createRequire(import.meta.url);
const { STS } = require('ali-oss') as { STS: new (options: object) => AliOssStsInternals };
const reference = new STS({ accessKeyId: 'ak', accessKeySecret: 'sk' });

describe('signStsRequest', () => {
  it('matches ali-oss lib/sts.js for a request with a policy and awkward characters', () => {
    const params = {
      Action: 'AssumeRole',
      Policy:
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:*"],"Resource":["acs:oss:*:*:b/u%2F*"]}]}',
      RoleSessionName: "u-it's(me)!",
      Timestamp: '2024-05-01T12:00:00Z',
      SignatureNonce: 'ü ~ +',
    };
    assert.equal(
      signStsRequest('POST', new Map(Object.entries(params)), 'secret'),
      reference._getSignature('POST', params, 'secret'),
    );
    assert.equal(percentEncodeRpc(params.RoleSessionName), reference._escape(params.RoleSessionName));
  });
});
