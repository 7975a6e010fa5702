import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postVectors, type V1PostVector, type V4PostVector } from './post-signature-vectors.js';
import { verifyPostSignature } from './verify-post-signature.js';

const v1 = postVectors.find((v): v is V1PostVector => v.id === 'V1-POST-1')!;
const v4 = postVectors.find((v): v is V4PostVector => v.id === 'V4-POST-1')!;

const checkV1 = (signature: string, policyBase64 = v1.policyBase64) =>
  verifyPostSignature({ version: 'v1', policyBase64, signature, accessKeySecret: v1.accessKeySecret });

const checkV4 = (signature: string, policyBase64 = v4.policyBase64) =>
  verifyPostSignature({
    version: 'v4',
    policyBase64,
    signature,
    accessKeySecret: v4.accessKeySecret,
    date: '20231203',
    region: v4.region,
  });

/** Replaces the character at `index` with a different one from the same alphabet. */
function flip(text: string, index: number, alphabet: string): string {
  const current = text.charAt(index);
  const replacement = alphabet.charAt((alphabet.indexOf(current) + 1) % alphabet.length);
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('verifyPostSignature', () => {
  it('accepts the golden V1 and V4 signatures', () => {
    assert.equal(checkV1(v1.expected.Signature), true);
    assert.equal(checkV4(v4.expected['x-oss-signature']), true);
  });

  it('rejects a signature off by one character at any position (threats §C1.1)', () => {
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let i = 0; i < v1.expected.Signature.length - 1; i++) {
      assert.equal(checkV1(flip(v1.expected.Signature, i, b64)), false, `V1 position ${i}`);
    }
    for (let i = 0; i < 64; i++) {
      assert.equal(
        checkV4(flip(v4.expected['x-oss-signature'], i, '0123456789abcdef')),
        false,
        `V4 position ${i}`,
      );
    }
  });

  it('answers false, never throws, for wrong length, empty, non-Base64 and non-ASCII signatures (threats §C1.2)', () => {
    for (const signature of [
      '',
      'x',
      v1.expected.Signature.slice(0, -1),
      `${v1.expected.Signature}=`,
      '€'.repeat(28),
      '%'.repeat(28),
    ]) {
      assert.equal(checkV1(signature), false, signature);
    }
    const hex = v4.expected['x-oss-signature'];
    for (const signature of ['', hex.slice(0, 63), `${hex}0`, hex.toUpperCase(), 'z'.repeat(64)]) {
      assert.equal(checkV4(signature), false, signature);
    }
  });

  it('rejects a valid signature over a policy whose Base64 text changed (threats §C1.3)', () => {
    const reencoded = Buffer.from(v1.policyBase64, 'base64').toString('base64url');
    for (const policy of [
      `${v1.policyBase64.slice(0, -1)}`,
      reencoded,
      flip(v1.policyBase64, 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    ]) {
      assert.equal(checkV1(v1.expected.Signature, policy), false);
    }
  });

  it('rejects a V4 signature checked with another date or region (threats §C1.6)', () => {
    const base = {
      version: 'v4' as const,
      policyBase64: v4.policyBase64,
      signature: v4.expected['x-oss-signature'],
      accessKeySecret: v4.accessKeySecret,
    };
    assert.equal(verifyPostSignature({ ...base, date: '20231204', region: 'cn-hangzhou' }), false);
    assert.equal(verifyPostSignature({ ...base, date: '20231203', region: 'cn-shanghai' }), false);
    assert.equal(
      verifyPostSignature({ ...base, date: '20231203', region: 'cn-hangzhou', accessKeySecret: 'x' }),
      false,
    );
  });
});
