// Golden vectors (test/vectors/post-policy-signatures.json) for the Node signers and for the
// browser signers driven by WebCrypto (globalThis.crypto.subtle) as the injected HMAC.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWebCryptoHmac } from './create-web-crypto-hmac.js';
import { postVectors } from './post-signature-vectors.js';
import { signPostPolicyV1, signPostPolicyV4 } from './sign-post-policy.js';
import {
  deriveV4SigningKeyWithHmac,
  signPostPolicyV1WithHmac,
  signPostPolicyV4WithHmac,
} from './sign-post-policy-with-hmac.js';
import { parseV4Credential } from './v4-credential.js';
import { deriveV4SigningKey } from './v4-signing-key.js';

const webHmac = createWebCryptoHmac(globalThis.crypto.subtle);

describe('POST signature golden vectors', () => {
  it('covers both versions', () => {
    assert.ok(postVectors.some((v) => v.version === 'v1'));
    assert.ok(postVectors.some((v) => v.version === 'v4'));
  });

  for (const vector of postVectors) {
    if (vector.version === 'v1') {
      it(`${vector.id}: Node V1 signer gives ${vector.expected.Signature}`, () => {
        assert.equal(
          signPostPolicyV1(vector.policyBase64, vector.accessKeySecret),
          vector.expected.Signature,
        );
      });
      it(`${vector.id}: WebCrypto V1 signer gives the same`, async () => {
        const signature = await signPostPolicyV1WithHmac(
          vector.policyBase64,
          vector.accessKeySecret,
          webHmac,
        );
        assert.equal(signature, vector.expected.Signature);
      });
    } else {
      const credential = parseV4Credential(vector['x-oss-credential']);
      const input = {
        accessKeySecret: vector.accessKeySecret,
        date: credential.date,
        region: credential.region,
      };
      it(`${vector.id}: Node V4 signer gives ${vector.expected['x-oss-signature']}`, () => {
        assert.equal(credential.date, vector['x-oss-date'].slice(0, 8));
        assert.equal(credential.region, vector.region);
        assert.equal(signPostPolicyV4(vector.policyBase64, input), vector.expected['x-oss-signature']);
      });
      it(`${vector.id}: WebCrypto V4 signer gives the same`, async () => {
        const signature = await signPostPolicyV4WithHmac(vector.policyBase64, input, webHmac);
        assert.equal(signature, vector.expected['x-oss-signature']);
      });
    }
  }
});

describe('deriveV4SigningKey', () => {
  // Intermediate key of V4-POST-1 published in oss-protocol §5.2.
  const kSigning = '43a098e251b72c6fbafe3fdae5c30d02b786ac533662e285f57522302b1e270d';

  it('reproduces the kSigning of V4-POST-1', () => {
    assert.equal(
      deriveV4SigningKey('ExampleSecretKey123', '20231203', 'cn-hangzhou').toString('hex'),
      kSigning,
    );
  });

  it('gives the same key through the injected HMAC', async () => {
    const key = await deriveV4SigningKeyWithHmac(webHmac, 'ExampleSecretKey123', '20231203', 'cn-hangzhou');
    assert.equal(Buffer.from(key).toString('hex'), kSigning);
  });

  it('depends on date, region and product', () => {
    const base = deriveV4SigningKey('s', '20231203', 'cn-hangzhou').toString('hex');
    assert.notEqual(deriveV4SigningKey('s', '20231204', 'cn-hangzhou').toString('hex'), base);
    assert.notEqual(deriveV4SigningKey('s', '20231203', 'oss-cn-hangzhou').toString('hex'), base);
    assert.notEqual(deriveV4SigningKey('s', '20231203', 'cn-hangzhou', 's3').toString('hex'), base);
  });

  it('remembers a derived key without mixing up inputs that would concatenate alike', () => {
    const first = deriveV4SigningKey('ExampleSecretKey123', '20231203', 'cn-hangzhou');
    assert.equal(deriveV4SigningKey('ExampleSecretKey123', '20231203', 'cn-hangzhou'), first);
    assert.equal(first.toString('hex'), kSigning);
    const split = deriveV4SigningKey('a\nb', 'c', 'cn-hangzhou').toString('hex');
    assert.notEqual(deriveV4SigningKey('a', 'b\nc', 'cn-hangzhou').toString('hex'), split);
  });

  it('stays correct past its bound (the memo is cleared, keys are derived afresh)', () => {
    for (let i = 0; i < 600; i++) deriveV4SigningKey(`secret-${i}`, '20231203', 'cn-hangzhou');
    assert.equal(
      deriveV4SigningKey('ExampleSecretKey123', '20231203', 'cn-hangzhou').toString('hex'),
      kSigning,
    );
  });
});

describe('signPostPolicyV1 over the §5.2 policy', () => {
  it('matches the V1 signature oss-protocol §5.2 gives for V4-POST-1', () => {
    const vector = postVectors.find((v) => v.id === 'V4-POST-1')!;
    assert.equal(
      signPostPolicyV1(vector.policyBase64, vector.accessKeySecret),
      'CSjkF2WnDEkiZMLH5eFzRkk+rsQ=',
    );
  });
});
