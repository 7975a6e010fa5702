import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assumeRole, type AssumeRoleDeps } from './assume-role.js';
import { createAccessKeyLookup, type StsRuntime } from './create-access-key-lookup.js';
import { signRpcRequest } from '@upcall/protocol';
import { isStsError, type StsErrorCode } from './sts-error.js';
import { decodeStsToken, deriveStsKeys } from './sts-token.js';

const nowMs = Date.parse('2024-05-01T12:00:00Z');
const sts: StsRuntime = { keys: deriveStsKeys(Buffer.alloc(32, 3)), maxDurationSeconds: 3600 };
const permanent = { accessKeyId: 'UPCAK', accessKeySecret: 'upc-secret' };
const deps: AssumeRoleDeps = {
  sts,
  lookup: createAccessKeyLookup(permanent, sts, () => nowMs),
  nowMs,
  random: (bytes) => Buffer.alloc(bytes, 1),
};
const narrow =
  '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:b/u/*"}]}';

function buildParams(
  overrides: Record<string, string | undefined> = {},
  secret = permanent.accessKeySecret,
): Map<string, string> {
  const base: Record<string, string | undefined> = {
    Action: 'AssumeRole',
    RoleArn: 'acs:ram::1234567890:role/Upload-Role',
    RoleSessionName: 'user-1',
    DurationSeconds: '900',
    Format: 'JSON',
    Version: '2015-04-01',
    AccessKeyId: permanent.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: 'n-1',
    Timestamp: '2024-05-01T12:00:00Z',
    ...overrides,
  };
  const params = new Map(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
  params.set('Signature', signRpcRequest('POST', params, secret));
  return params;
}

function assertStsError(params: Map<string, string>, code: StsErrorCode, runDeps = deps): void {
  assert.throws(
    () => assumeRole({ method: 'POST', params }, runDeps),
    (error) => isStsError(error) && error.code === code,
    code,
  );
}

describe('assumeRole', () => {
  it('issues a session in the STS response shape with the inline policy sealed in the token', () => {
    const result = assumeRole({ method: 'POST', params: buildParams({ Policy: narrow }) }, deps);
    assert.equal(result.assumedRoleUser.arn, 'acs:ram::1234567890:role/upload-role/user-1');
    assert.match(result.assumedRoleUser.assumedRoleId, /^\d{17}:user-1$/);
    assert.equal(result.credentials.expiration, '2024-05-01T12:15:00Z');
    const session = decodeStsToken(result.credentials.securityToken, sts.keys);
    assert.equal(session?.accessKeyId, result.credentials.accessKeyId);
    assert.equal(session?.parentAccessKeyId, 'UPCAK');
    assert.deepEqual(session?.policies, [narrow]);
  });

  it('defaults DurationSeconds to 3600 and refuses values outside 900..max', () => {
    const result = assumeRole({ method: 'POST', params: buildParams({ DurationSeconds: undefined }) }, deps);
    assert.equal(result.credentials.expiration, '2024-05-01T13:00:00Z');
    for (const value of ['899', '3601', '-900', '1e3', 'x']) {
      assertStsError(buildParams({ DurationSeconds: value }), 'InvalidParameter.DurationSeconds');
    }
  });

  it('refuses a bad signature, an unknown key and a signature by the wrong method', () => {
    assertStsError(buildParams({}, 'wrong-secret'), 'SignatureDoesNotMatch');
    assertStsError(buildParams({ AccessKeyId: 'LTAInobody' }), 'InvalidAccessKeyId.NotFound');
    const params = buildParams();
    assert.throws(
      () => assumeRole({ method: 'GET', params }, deps),
      (e) => isStsError(e) && e.code === 'SignatureDoesNotMatch',
    );
  });

  it('refuses stale timestamps, wrong versions, methods and other actions', () => {
    assertStsError(buildParams({ Timestamp: '2024-05-01T11:44:59Z' }), 'InvalidTimeStamp.Expired');
    assertStsError(buildParams({ Timestamp: '2024-05-01 12:00:00' }), 'InvalidTimeStamp.Format');
    assertStsError(buildParams({ Version: '2015-04-02' }), 'InvalidVersion');
    assertStsError(buildParams({ SignatureMethod: 'HMAC-SHA256' }), 'UnsupportedSignatureMethod');
    assertStsError(buildParams({ Action: 'GetCallerIdentity' }), 'InvalidAction.NotFound');
    assertStsError(buildParams({ SignatureNonce: undefined }), 'MissingParameter');
  });

  it('checks RoleArn, RoleSessionName and the policy grammar', () => {
    assertStsError(buildParams({ RoleArn: 'arn:aws:iam::1:role/x' }), 'InvalidParameter.RoleArn');
    assertStsError(buildParams({ RoleArn: undefined }), 'MissingParameter');
    for (const name of ['a', 'has space', 'x'.repeat(65), 'ninja*']) {
      assertStsError(buildParams({ RoleSessionName: name }), 'InvalidParameter.RoleSessionName');
    }
    assertStsError(buildParams({ Policy: '{"Version":"1"}' }), 'InvalidParameter.PolicyGrammar');
  });

  it('lets temporary credentials chain only into a narrower session that cannot outlive theirs', () => {
    const first = assumeRole({ method: 'POST', params: buildParams({ Policy: narrow }) }, deps).credentials;
    const wide = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
    const chained = buildParams(
      {
        AccessKeyId: first.accessKeyId,
        SecurityToken: first.securityToken,
        Policy: wide,
        DurationSeconds: '3600',
      },
      first.accessKeySecret,
    );
    const second = assumeRole({ method: 'POST', params: chained }, deps).credentials;
    const session = decodeStsToken(second.securityToken, sts.keys);
    assert.deepEqual(session?.policies, [narrow, wide]);
    assert.equal(session?.parentAccessKeyId, 'UPCAK');
    assert.equal(second.expiration, first.expiration);
  });

  it('refuses temporary credentials without their token or with a forged one', () => {
    const first = assumeRole({ method: 'POST', params: buildParams() }, deps).credentials;
    assertStsError(
      buildParams({ AccessKeyId: first.accessKeyId }, first.accessKeySecret),
      'MissingSecurityToken',
    );
    const forged = buildParams(
      { AccessKeyId: first.accessKeyId, SecurityToken: `${first.securityToken}x` },
      first.accessKeySecret,
    );
    assertStsError(forged, 'InvalidSecurityToken.Malformed');
    const later: AssumeRoleDeps = {
      ...deps,
      nowMs: nowMs + 3600_000,
      lookup: createAccessKeyLookup(permanent, sts, () => nowMs + 3600_000),
    };
    const expired = buildParams(
      {
        AccessKeyId: first.accessKeyId,
        SecurityToken: first.securityToken,
        Timestamp: '2024-05-01T13:00:00Z',
      },
      first.accessKeySecret,
    );
    assertStsError(expired, 'InvalidSecurityToken.Expired', later);
  });
});
