import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  buildCallbackStringToSign,
  decodePublicKeyUrlHeader,
  signCallback,
  verifyCallbackSignature,
} from './callback-signature.js';
import { ossCallbackPublicKeyPem, ossCallbackPublicKeyUrls } from './oss-callback-public-key.js';

interface SignatureVector {
  id: string;
  requestTarget: string;
  body: string;
  headers: { authorization: string; 'x-oss-pub-key-url': string };
  publicKeyPem: string;
  expected: { stringToSign: string; verifies: boolean };
}
const vectorsDir = new URL('../../../../test/vectors/', import.meta.url);
const vectorFile = JSON.parse(readFileSync(new URL('callback-signatures.json', vectorsDir), 'utf8')) as {
  ossPublicKeyUrl: string;
  ossPublicKeyPem: string;
  vectors: SignatureVector[];
};
const emulatorKey = createPrivateKey(readFileSync(new URL('emulator-test-key.pem', vectorsDir), 'utf8'));
const emulatorPublicPem = createPublicKey(emulatorKey).export({ type: 'spki', format: 'pem' }).toString();
const emu1 = vectorFile.vectors.find((vector) => vector.id === 'CB-EMU-1')!;
const body = (vector: SignatureVector) => Buffer.from(vector.body, 'utf8');

describe('callback signature golden vectors', () => {
  for (const vector of vectorFile.vectors) {
    it(`${vector.id}: builds the expected string to sign and ${vector.expected.verifies ? 'verifies' : 'fails'}`, () => {
      const stringToSign = buildCallbackStringToSign(vector.requestTarget, body(vector));
      assert.equal(stringToSign.toString('utf8'), vector.expected.stringToSign);
      const verdict = verifyCallbackSignature({
        requestTarget: vector.requestTarget,
        body: body(vector),
        authorization: vector.headers.authorization,
        publicKey: vector.publicKeyPem,
      });
      assert.equal(verdict.ok, vector.expected.verifies);
      if (verdict.ok) assert.equal(verdict.variant, 'percent');
      else assert.deepEqual(verdict.stringToSign, stringToSign);
    });
  }

  for (const vector of vectorFile.vectors.filter((v) => v.id.startsWith('CB-EMU') && v.expected.verifies)) {
    it(`${vector.id}: signing with the emulator test key reproduces the Authorization byte for byte`, async () => {
      const signature = await signCallback(
        buildCallbackStringToSign(vector.requestTarget, body(vector)),
        emulatorKey,
      );
      assert.equal(signature, vector.headers.authorization);
    });
  }

  it('ships the same official public key PEM and URL as the vector file', () => {
    assert.equal(ossCallbackPublicKeyPem, vectorFile.ossPublicKeyPem);
    assert.ok((ossCallbackPublicKeyUrls as readonly string[]).includes(vectorFile.ossPublicKeyUrl));
    const genuine = vectorFile.vectors.find((vector) => vector.id === 'CB-OSS-DOC')!;
    assert.equal(decodePublicKeyUrlHeader(genuine.headers['x-oss-pub-key-url']), ossCallbackPublicKeyUrls[0]);
    const verdict = verifyCallbackSignature({
      requestTarget: genuine.requestTarget,
      body: body(genuine),
      authorization: genuine.headers.authorization,
      publicKey: createPublicKey(ossCallbackPublicKeyPem),
    });
    assert.equal(verdict.ok, true);
  });
});

describe('buildCallbackStringToSign', () => {
  it('keeps a "?" with an empty query, like the official Python demo', () => {
    assert.equal(buildCallbackStringToSign('/cb?', Buffer.from('b')).toString(), '/cb?\nb');
  });

  it('decodes the path to raw bytes, leaving malformed escapes and the query untouched', () => {
    const bytes = buildCallbackStringToSign('/a%2Fb%zz%E4%B8%AD%ff?q=%E4%B8%AD+1', Buffer.alloc(0));
    assert.deepEqual(
      bytes,
      Buffer.concat([Buffer.from('/a/b%zz中'), Buffer.of(0xff), Buffer.from('?q=%E4%B8%AD+1\n')]),
    );
  });
});

describe('verifyCallbackSignature, hostile input', () => {
  const target = emu1.requestTarget;
  const good = emu1.headers.authorization;
  const verifyWith = (overrides: {
    requestTarget?: string;
    body?: Uint8Array;
    authorization?: string | undefined;
  }) =>
    verifyCallbackSignature({
      requestTarget: target,
      body: body(emu1),
      authorization: good,
      publicKey: emulatorPublicPem,
      ...overrides,
    });

  it('accepts the untampered request', () => {
    assert.deepEqual(verifyWith({}), { ok: true, variant: 'percent' });
  });

  it('rejects a body changed by one byte', () => {
    const tampered = Buffer.from(body(emu1));
    tampered[10] = tampered[10]! ^ 1;
    assert.equal(verifyWith({ body: tampered }).ok, false);
  });

  it('rejects an added or altered query and a differently decoded path', () => {
    assert.equal(verifyWith({ requestTarget: `${target}&a=1` }).ok, false);
    assert.equal(verifyWith({ requestTarget: target.replace('uid=42', 'uid=43') }).ok, false);
    assert.equal(verifyWith({ requestTarget: target.replace('%2Fhome', '/home') }).ok, false);
    assert.equal(verifyWith({ requestTarget: target.replace('/cb/', '/cc/') }).ok, false);
  });

  it('treats percent-encoding of the path as equivalent, because the path is decoded before signing', () => {
    assert.equal(verifyWith({ requestTarget: target.replace('/cb/', '/%63b/') }).ok, true);
  });

  it('returns ok:false, never throws, for missing, empty, non-base64, URL-safe and oversized Authorization', async () => {
    const garbage = [
      undefined,
      '',
      'not base64!',
      good.replace(/\+/g, '-').replace(/\//g, '_'),
      `${good}AAAA`,
      'A'.repeat(10_240),
    ];
    garbage.push((await signCallback(Buffer.from('x'), emulatorKey)).repeat(3));
    for (const authorization of garbage) {
      const verdict = verifyWith({ authorization });
      assert.equal(verdict.ok, false, String(authorization).slice(0, 20));
    }
  });

  it('returns ok:false for an unusable key: bad PEM, empty string, a non-RSA key', () => {
    const { publicKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const publicKey of ['-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----\n', '', ecKey]) {
      assert.equal(
        verifyCallbackSignature({ requestTarget: target, body: body(emu1), authorization: good, publicKey })
          .ok,
        false,
      );
    }
  });

  it('rejects a signature made by a different key', async () => {
    const { privateKey: other } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const forged = await signCallback(buildCallbackStringToSign(target, body(emu1)), other);
    assert.equal(verifyWith({ authorization: forged }).ok, false);
  });

  it('accepts the "+ as space" reading only when the path contains "+"', async () => {
    const requestTarget = '/up+load?a=b+c';
    const signedWithSpace = await signCallback(Buffer.from('/up load?a=b+c\nbody'), emulatorKey);
    const verdict = verifyCallbackSignature({
      requestTarget,
      body: Buffer.from('body'),
      authorization: signedWithSpace,
      publicKey: emulatorPublicPem,
    });
    assert.deepEqual(verdict, { ok: true, variant: 'plus-as-space' });
    const noPlus = verifyCallbackSignature({
      requestTarget: '/up%20load?a=b+c',
      body: Buffer.from('body'),
      authorization: signedWithSpace,
      publicKey: emulatorPublicPem,
    });
    assert.deepEqual(noPlus, { ok: true, variant: 'percent' });
  });
});

describe('decodePublicKeyUrlHeader', () => {
  it('decodes standard base64 of the URL', () => {
    assert.equal(
      decodePublicKeyUrlHeader('aHR0cDovLzEyNy4wLjAuMTo5MDAwL2NhbGxiYWNrX3B1Yl9rZXlfdjEucGVt'),
      'http://127.0.0.1:9000/callback_pub_key_v1.pem',
    );
  });

  it('refuses URL-safe base64, missing padding, trailing junk, control characters and empty input', () => {
    const url = 'https://gosspublic.alicdn.com/callback_pub_key_v1.pem?>>>?';
    const standard = Buffer.from(url).toString('base64');
    assert.match(standard, /[+/].*=$/);
    assert.equal(decodePublicKeyUrlHeader(standard), url);
    for (const value of [
      Buffer.from(url).toString('base64url'),
      standard.replace(/=+$/, ''),
      `${standard}junk`,
      ` ${standard}`,
      Buffer.from('https://a.example/\r\nx').toString('base64'),
      Buffer.from([0xff, 0xfe]).toString('base64'),
      '',
      undefined,
    ]) {
      assert.equal(decodePublicKeyUrlHeader(value), undefined, String(value));
    }
  });
});
