// The fast path must give the protocol reference's verdict on every input (oss-protocol §9.3, threats
// §C6.53): genuine, tampered, malformed, wrong-key, odd-length and hand-built RSA encodings alike.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  sign,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import {
  buildCallbackStringToSign,
  verifyCallbackSignature,
  type VerifyCallbackSignatureInput,
} from '@upcall/protocol';
import { readEmulatorTestKey } from '../test-support/build-signed-callback.js';
import { verifyCallbackSignatureFast } from './verify-callback-signature-fast.js';

const emulator = readEmulatorTestKey();
const emulatorPublicKey = createPublicKey(emulator.publicKeyPem);
const other = generateKeyPairSync('rsa', { modulusLength: 1024 });
const small = generateKeyPairSync('rsa', { modulusLength: 512 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const target = '/oss-callback?ticket=t1&a=%2F';
const body = Buffer.from('bucket=b&object=o%2Fx&etag=E&size=1&x%3Aupload_id=u1', 'utf8');

function signFor(privateKey: KeyObject, requestTarget = target, data: Uint8Array = body): string {
  return sign('md5', buildCallbackStringToSign(requestTarget, data), privateKey).toString('base64');
}

function input(overrides: Partial<VerifyCallbackSignatureInput> = {}): VerifyCallbackSignatureInput {
  return {
    requestTarget: target,
    body,
    authorization: signFor(emulator.privateKey),
    publicKey: emulatorPublicKey,
    ...overrides,
  };
}

/** Asserts both paths agree and returns the shared verdict's `ok`. */
function agreed(value: VerifyCallbackSignatureInput): boolean {
  const fast = verifyCallbackSignatureFast(value);
  assert.deepEqual(fast, verifyCallbackSignature(value));
  return fast.ok;
}

/** s = EM^d mod n: a "signature" whose RSA encoding is exactly `em` (RFC 8017 §8.2.2 step 2). */
function signEncoding(privateKey: KeyObject, em: Buffer): string {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, em).toString('base64');
}

const md5Prefix = '3020300c06082a864886f70d020505000410';

/** 00 01 FF… 00 T for a modulus of `k` bytes, with `t` as T. */
function encoding(k: number, t: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(k - t.length - 3, 0xff), Buffer.from([0]), t]);
}

describe('verifyCallbackSignatureFast', () => {
  it('verifies a genuine callback, as the reference does', () => {
    assert.equal(agreed(input()), true);
    assert.equal(
      agreed(input({ publicKey: small.publicKey, authorization: signFor(small.privateKey) })),
      true,
    );
  });

  it('refuses a wrong key, a tampered body, path or query, as the reference does', () => {
    assert.equal(agreed(input({ publicKey: other.publicKey })), false);
    assert.equal(agreed(input({ body: Buffer.from('bucket=c', 'utf8') })), false);
    assert.equal(agreed(input({ requestTarget: '/oss-callbacK?ticket=t1&a=%2F' })), false);
    assert.equal(agreed(input({ requestTarget: '/oss-callback?ticket=t2&a=%2F' })), false);
    assert.equal(agreed(input({ requestTarget: '/oss-callback?ticket=t1&a=/' })), false);
  });

  it('gives the reference verdict for paths it hands over: escapes, "+" and both readings', () => {
    for (const path of ['/cb%2Fx', '/a+b', '/a%2Bb', '/a%zz']) {
      assert.equal(
        agreed(input({ requestTarget: path, authorization: signFor(emulator.privateKey, path) })),
        true,
      );
    }
    const plusAsSpace = signFor(emulator.privateKey, '/a b');
    assert.equal(agreed(input({ requestTarget: '/a+b', authorization: plusAsSpace })), true);
  });

  it('refuses missing, empty, oversize and non-canonical base64 signatures, as the reference does', () => {
    const genuine = signFor(emulator.privateKey);
    const spellings = [
      undefined,
      '',
      'A'.repeat(4100),
      ` ${genuine}`,
      `${genuine}\n`,
      genuine.replaceAll('=', ''),
      genuine.replaceAll('+', '-').replaceAll('/', '_'),
      `${genuine}AAAA`,
      genuine.slice(4),
      '!!!!',
    ];
    for (const authorization of spellings) assert.equal(agreed(input({ authorization })), false);
  });

  it('refuses signatures of the wrong length or not below the modulus, as the reference does', () => {
    const genuine = Buffer.from(signFor(emulator.privateKey), 'base64');
    const k = genuine.length;
    const variants = [
      genuine.subarray(1),
      Buffer.concat([Buffer.alloc(1), genuine]),
      Buffer.alloc(k, 0xff),
      Buffer.alloc(k),
      Buffer.alloc(1, 1),
    ];
    for (const signature of variants) {
      assert.equal(agreed(input({ authorization: signature.toString('base64') })), false);
    }
  });

  it('accepts only the one PKCS#1 v1.5 MD5 encoding, as the reference does (RFC 8017 §8.2.2)', () => {
    const k = Buffer.from(signFor(emulator.privateKey), 'base64').length;
    const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();
    const t = Buffer.concat([Buffer.from(md5Prefix, 'hex'), md5(buildCallbackStringToSign(target, body))]);
    const withEncoding = (em: Buffer): VerifyCallbackSignatureInput =>
      input({ authorization: signEncoding(emulator.privateKey, em) });
    assert.equal(agreed(withEncoding(encoding(k, t))), true);
    const broken: Buffer[] = [
      encoding(k, Buffer.concat([Buffer.from('301e300a06082a864886f70d02050410', 'hex'), t.subarray(18)])),
      encoding(
        k,
        Buffer.concat([
          Buffer.from('3021300906052b0e03021a05000414', 'hex'),
          t.subarray(18),
          Buffer.alloc(4),
        ]),
      ),
      encoding(k, Buffer.concat([Buffer.alloc(1, 0xff), t])),
      encoding(k, Buffer.concat([Buffer.alloc(1), t])),
      Buffer.from(encoding(k, t).map((byte, i) => (i === 1 ? 2 : byte))),
      Buffer.from(encoding(k, t).map((byte, i) => (i === 5 ? 0xfe : byte))),
      Buffer.from(encoding(k, t).map((byte, i) => (i === k - 1 ? byte ^ 1 : byte))),
      Buffer.from(encoding(k, t).map((byte, i) => (i === k - 20 ? byte ^ 1 : byte))),
    ];
    for (const em of broken) assert.equal(agreed(withEncoding(em)), false);
  });

  it('hands keys it does not handle (EC, PEM text) to the reference', () => {
    assert.equal(agreed(input({ publicKey: ec.publicKey })), false);
    assert.equal(agreed(input({ publicKey: emulator.publicKeyPem })), true);
  });

  it('agrees with the reference on arbitrary targets, bodies and Authorization values', () => {
    const genuine = signFor(emulator.privateKey);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(target),
          fc.string({ maxLength: 40 }).map((text) => `/${text}`),
        ),
        fc.oneof(
          fc.constant(body),
          fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
        ),
        fc.oneof(
          fc.constant(genuine),
          fc.base64String({ maxLength: 400 }),
          fc.string({ maxLength: 400 }),
          fc.nat({ max: genuine.length - 1 }).map((at) => genuine.slice(0, at) + genuine.slice(at + 1)),
        ),
        (requestTarget, data, authorization) => {
          agreed(input({ requestTarget, body: data, authorization }));
        },
      ),
      { numRuns: Number(process.env['FC_RUNS'] ?? 200), seed: Number(process.env['FC_SEED'] ?? 0x5eed) },
    );
  });
});
