import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isOssError } from '@upcall/protocol';
import { createAccessKeyLookup, type StsRuntime } from './create-access-key-lookup.js';
import { deriveStsKeys, deriveTemporarySecret, encodeStsToken, type StsSession } from './sts-token.js';

const sts: StsRuntime = { keys: deriveStsKeys(Buffer.alloc(32, 4)), maxDurationSeconds: 3600 };
const foreign: StsRuntime = { keys: deriveStsKeys(Buffer.alloc(32, 5)), maxDurationSeconds: 3600 };
const permanent = { accessKeyId: 'UPCAK', accessKeySecret: 'upc-secret' };
const session: StsSession = {
  accessKeyId: 'STS.TEMP1',
  parentAccessKeyId: 'UPCAK',
  roleArn: 'acs:ram::1:role/r',
  roleSessionName: 's1',
  issuedMs: 1_000,
  expiresMs: 901_000,
  policies: [],
};
const token = encodeStsToken(session, sts.keys);

function assertOssError(run: () => unknown, code: string, ec?: string): void {
  assert.throws(
    run,
    (error) => isOssError(error) && error.code === code && (ec === undefined || error.ec === ec),
  );
}

describe('createAccessKeyLookup', () => {
  const lookup = createAccessKeyLookup(permanent, sts, () => 500_000);

  it('returns the derived secret, the token and the session for a temporary key with its token', () => {
    const found = lookup('STS.TEMP1', token);
    assert.equal(found?.secret, deriveTemporarySecret(sts.keys, 'STS.TEMP1'));
    assert.equal(found?.securityToken, token);
    assert.deepEqual(found?.session, session);
  });

  it('treats a temporary key without a token as unknown', () => {
    assert.equal(lookup('STS.TEMP1', undefined), undefined);
    assert.equal(lookup('STS.TEMP1', ''), undefined);
  });

  it('refuses a tampered token, a token from another server key and a token of another temporary key', () => {
    assertOssError(
      () => lookup('STS.TEMP1', `${token.slice(0, -2)}AA`),
      'InvalidSecurityToken',
      '0002-00000006',
    );
    assertOssError(() => lookup('STS.TEMP1', encodeStsToken(session, foreign.keys)), 'InvalidSecurityToken');
    assertOssError(() => lookup('STS.OTHER', token), 'InvalidSecurityToken', '0002-00000004');
  });

  it('refuses a token at and after its expiration instant', () => {
    assertOssError(
      () => createAccessKeyLookup(permanent, sts, () => 901_000)('STS.TEMP1', token),
      'SecurityTokenExpired',
    );
    assert.ok(createAccessKeyLookup(permanent, sts, () => 900_999)('STS.TEMP1', token));
  });

  it('knows no temporary keys when the STS is off, and ignores a token sent with the permanent key', () => {
    assert.equal(createAccessKeyLookup(permanent, undefined, () => 0)('STS.TEMP1', token), undefined);
    assert.deepEqual(lookup('UPCAK', 'anything'), { secret: 'upc-secret' });
  });
});
