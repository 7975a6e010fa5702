import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeStsToken,
  deriveStsKeys,
  deriveTemporarySecret,
  encodeStsToken,
  generateTemporaryAccessKeyId,
  stsTokenPrefix,
  type StsSession,
} from './sts-token.js';

const keys = deriveStsKeys(Buffer.alloc(32, 1));
const otherKeys = deriveStsKeys(Buffer.alloc(32, 2));
const fixedRandom = (bytes: number): Buffer => Buffer.alloc(bytes, 5);

const session: StsSession = {
  accessKeyId: 'STS.AAAAAAAAAAAAAAAAAAAAAAAA',
  parentAccessKeyId: 'UPCPARENT',
  roleArn: 'acs:ram::1:role/r',
  roleSessionName: 'user-1',
  issuedMs: 1_700_000_000_000,
  expiresMs: 1_700_000_900_000,
  policies: ['{"Version":"1","Statement":[]}'],
};

function flipCharacter(token: string, index: number): string {
  const chars = [...token];
  chars[index] = chars[index] === 'A' ? 'B' : 'A';
  return chars.join('');
}

describe('STS token codec', () => {
  it('round-trips a session', () => {
    const token = encodeStsToken(session, keys, fixedRandom);
    assert.ok(token.startsWith(stsTokenPrefix));
    assert.deepEqual(decodeStsToken(token, keys), session);
  });

  it('rejects a token with any single character altered', () => {
    const token = encodeStsToken(session, keys, fixedRandom);
    for (const index of [
      stsTokenPrefix.length,
      stsTokenPrefix.length + 20,
      token.length - 30,
      token.length - 1,
    ]) {
      assert.equal(decodeStsToken(flipCharacter(token, index), keys), undefined, `index ${index}`);
    }
  });

  it('rejects a token sealed under another server key', () => {
    assert.equal(decodeStsToken(encodeStsToken(session, otherKeys), keys), undefined);
  });

  it('rejects truncated, unprefixed, non-base64url and oversized tokens', () => {
    const token = encodeStsToken(session, keys);
    for (const bad of [
      token.slice(0, -4),
      token.slice(stsTokenPrefix.length),
      `${token}=`,
      `${token}${'A'.repeat(9000)}`,
      '',
      stsTokenPrefix,
    ]) {
      assert.equal(decodeStsToken(bad, keys), undefined);
    }
  });

  it('derives a stable secret per temporary key id that differs between ids and between keys', () => {
    const a = generateTemporaryAccessKeyId(fixedRandom);
    const b = generateTemporaryAccessKeyId(() => Buffer.alloc(24, 6));
    assert.match(a, /^STS\.[A-Za-z0-9]{24}$/);
    assert.equal(
      deriveTemporarySecret(keys, a),
      deriveTemporarySecret(deriveStsKeys(Buffer.alloc(32, 1)), a),
    );
    assert.notEqual(deriveTemporarySecret(keys, a), deriveTemporarySecret(keys, b));
    assert.notEqual(deriveTemporarySecret(keys, a), deriveTemporarySecret(otherKeys, a));
  });
});
