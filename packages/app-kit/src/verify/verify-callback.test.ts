import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  buildSignedCallbackFor,
  readEmulatorTestKey,
  toCallbackRequestParts,
  type SigningKey,
} from '../test-support/build-signed-callback.js';
import { startRecordingServer } from '../test-support/start-recording-server.js';
import { createCallbackKeyTrust, type CallbackKeyTrust } from './callback-key-trust.js';
import { CallbackVerificationError, type CallbackVerificationReason } from './callback-verification-error.js';
import { verifyCallback, verifyCallbackAuthenticity, type CallbackRequestParts } from './verify-callback.js';

interface Vector {
  id: string;
  requestTarget: string;
  body: string;
  headers: Record<string, string>;
  publicKeyPem: string;
  expected: { stringToSign: string; verifies: boolean };
}

const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../../test/vectors/callback-signatures.json', import.meta.url), 'utf8'),
  ) as {
    vectors: Vector[];
  }
).vectors;

const emulatorKeyUrl = 'http://127.0.0.1:9000/callback_pub_key_v1.pem';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function fromVector(vector: Vector, contentType = 'application/x-www-form-urlencoded'): CallbackRequestParts {
  return {
    method: 'POST',
    target: vector.requestTarget,
    headers: { ...vector.headers, 'content-type': contentType },
    body: Buffer.from(vector.body, 'utf8'),
  };
}

async function reasonOf(promise: Promise<unknown>): Promise<CallbackVerificationReason> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CallbackVerificationError) return error.reason;
    throw error;
  }
  return assert.fail('expected a CallbackVerificationError');
}

const emulatorKey: SigningKey = readEmulatorTestKey(emulatorKeyUrl);
const emulatorTrust = createCallbackKeyTrust({ pinnedKeys: { [emulatorKeyUrl]: emulatorKey.publicKeyPem } });
const formBody =
  'bucket=examplebucket&object=uploads%2Falice%2Fa.png&etag=ABC&size=5&mimeType=image%2Fpng&uploadId=u1';

describe('verifyCallbackAuthenticity with the golden vectors', () => {
  for (const vector of vectors.filter((v) => v.id.startsWith('CB-OSS-DOC'))) {
    it(`${vector.id}: ${vector.expected.verifies ? 'verifies' : 'is refused'} with the default (official key only) trust`, async () => {
      const request = fromVector(vector);
      if (vector.expected.verifies) {
        const result = await verifyCallbackAuthenticity(request);
        assert.deepEqual(result, {
          keyUrl: 'http://gosspublic.alicdn.com/callback_pub_key_v1.pem',
          keySource: 'oss',
          variant: 'percent',
        });
        return;
      }
      const error = await verifyCallbackAuthenticity(request).then(
        () => assert.fail('should not verify'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof CallbackVerificationError);
      assert.equal(error.reason, 'bad-signature');
      assert.equal(error.details.stringToSign, vector.expected.stringToSign);
    });
  }

  for (const vector of vectors.filter((v) => v.id.startsWith('CB-EMU'))) {
    it(`${vector.id}: is untrusted by default and verifies only once its key is pinned for its URL`, async () => {
      assert.equal(await reasonOf(verifyCallbackAuthenticity(fromVector(vector))), 'untrusted-key-url');
      const trust = createCallbackKeyTrust({ pinnedKeys: { [emulatorKeyUrl]: vector.publicKeyPem } });
      const result = await verifyCallbackAuthenticity(fromVector(vector), { trust });
      assert.equal(result.keySource, 'pinned');
      const elsewhere = createCallbackKeyTrust({
        pinnedKeys: { 'http://127.0.0.1:9001/k.pem': vector.publicKeyPem },
      });
      assert.equal(
        await reasonOf(verifyCallbackAuthenticity(fromVector(vector), { trust: elsewhere })),
        'untrusted-key-url',
      );
    });
  }

  it('verifies the genuine OSS vector and then refuses its body for lacking the upload fields', async () => {
    const genuine = vectors.find((v) => v.id === 'CB-OSS-DOC');
    assert.ok(genuine);
    assert.equal(await reasonOf(verifyCallback(fromVector(genuine))), 'bad-request');
  });

  it('does not trust the official key when the application turns it off', async () => {
    const genuine = vectors.find((v) => v.id === 'CB-OSS-DOC');
    assert.ok(genuine);
    const trust = createCallbackKeyTrust({ trustOssKey: false });
    assert.equal(
      await reasonOf(verifyCallbackAuthenticity(fromVector(genuine), { trust })),
      'untrusted-key-url',
    );
  });
});

describe('verifyCallback with hostile requests', () => {
  it('refuses a callback signed with an attacker key at an attacker URL without fetching it', async () => {
    const attacker = await startRecordingServer((_req, res) => res.end('not reached'));
    try {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const evilUrl = `${attacker.origin}/k.pem`;
      const forged = await buildSignedCallbackFor('http://127.0.0.1:3000/cb', formBody, {
        privateKey,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        publicKeyUrl: evilUrl,
      });
      const withFetchList = createCallbackKeyTrust({ fetchKeyUrls: [`${attacker.origin}/other.pem`] });
      for (const trust of [undefined, emulatorTrust, withFetchList]) {
        const reason = await reasonOf(
          verifyCallback(toCallbackRequestParts(forged), trust === undefined ? {} : { trust }),
        );
        assert.equal(reason, 'untrusted-key-url');
      }
      assert.deepEqual(attacker.seen, []);
    } finally {
      await attacker.close();
    }
  });

  const official = 'https://gosspublic.alicdn.com/callback_pub_key_v1.pem';
  const lookalikes: Array<[string, string]> = [
    ['a longer host', b64('https://gosspublic.alicdn.com.evil/callback_pub_key_v1.pem')],
    ['userinfo', b64('https://gosspublic.alicdn.com@evil.example/callback_pub_key_v1.pem')],
    ['another port', b64('http://gosspublic.alicdn.com:8080/callback_pub_key_v1.pem')],
    ['an upper-case host', b64('https://GOSSPUBLIC.alicdn.com/callback_pub_key_v1.pem')],
    ['a dot segment', b64('https://gosspublic.alicdn.com/./callback_pub_key_v1.pem')],
    ['a backslash', b64('https://gosspublic.alicdn.com\\callback_pub_key_v1.pem')],
    ['an extra query', b64(`${official}?x=1`)],
    ['a trailing space', b64(`${official} `)],
    ['trailing junk after the base64', `${b64(official)}junk`],
    ['missing padding', b64('http://gosspublic.alicdn.com/callback_pub_key_v1.pem').replace(/=+$/, '')],
    ['whitespace inside the base64', `${b64(official).slice(0, 8)} ${b64(official).slice(8)}`],
    ['a control character', b64(`${official}\n`)],
  ];
  for (const [what, header] of lookalikes) {
    it(`treats a key URL with ${what} as untrusted and never fetches it`, async () => {
      const fetched: string[] = [];
      const trust = createCallbackKeyTrust({
        fetchKeyUrls: ['https://keys.example/k.pem'],
        fetch: (url) => {
          fetched.push(url);
          return Promise.reject(new Error('no network in tests'));
        },
      });
      const genuine = vectors.find((v) => v.id === 'CB-OSS-DOC');
      assert.ok(genuine);
      const request = fromVector({
        ...genuine,
        headers: { ...genuine.headers, 'x-oss-pub-key-url': header },
      });
      assert.equal(await reasonOf(verifyCallbackAuthenticity(request, { trust })), 'untrusted-key-url');
      assert.deepEqual(fetched, []);
    });
  }

  it('refuses the URL-safe base64 spelling of a trusted key URL', async () => {
    const url = 'https://keys.example/k??.pem';
    const standard = b64(url);
    assert.match(standard, /[+/]/); // guard: the spellings really differ
    const key: SigningKey = { ...emulatorKey, publicKeyUrl: url };
    const trust = createCallbackKeyTrust({ pinnedKeys: { [url]: emulatorKey.publicKeyPem } });
    const signed = toCallbackRequestParts(
      await buildSignedCallbackFor('http://127.0.0.1:3000/cb', formBody, key),
    );
    await verifyCallback(signed, { trust });
    const urlSafe = standard.replaceAll('+', '-').replaceAll('/', '_');
    const request = { ...signed, headers: { ...signed.headers, 'x-oss-pub-key-url': urlSafe } };
    assert.equal(await reasonOf(verifyCallback(request, { trust })), 'untrusted-key-url');
  });

  it('accepts a genuine server-signed callback and refuses every tampered copy', async () => {
    const target = 'http://127.0.0.1:3000/cb/up?next=%2Fhome&a=1';
    const signed = toCallbackRequestParts(await buildSignedCallbackFor(target, formBody, emulatorKey));
    const result = await verifyCallback(signed, { trust: emulatorTrust });
    assert.equal(result.uploadId, 'u1');
    const tampered: Array<[string, CallbackRequestParts]> = [
      ['one body byte', { ...signed, body: Buffer.from(formBody.replace('size=5', 'size=6')) }],
      ['a truncated body', { ...signed, body: signed.body.subarray(0, signed.body.length - 1) }],
      ['an added query parameter', { ...signed, target: `${signed.target}&b=2` }],
      ['a re-encoded query', { ...signed, target: '/cb/up?next=/home&a=1' }],
      ['a dropped query', { ...signed, target: '/cb/up' }],
      ['another path', { ...signed, target: '/cb/down?next=%2Fhome&a=1' }],
    ];
    for (const [what, request] of tampered) {
      assert.equal(await reasonOf(verifyCallback(request, { trust: emulatorTrust })), 'bad-signature', what);
    }
  });

  it('accepts a differently percent-encoded path, which §9.3 decodes before signing', async () => {
    const signed = toCallbackRequestParts(
      await buildSignedCallbackFor('http://127.0.0.1:3000/cb', formBody, emulatorKey),
    );
    await verifyCallback({ ...signed, target: '/%63b' }, { trust: emulatorTrust });
  });

  it('refuses missing, empty and garbage signatures without throwing anything else', async () => {
    const signed = toCallbackRequestParts(
      await buildSignedCallbackFor('http://127.0.0.1:3000/cb', formBody, emulatorKey),
    );
    const without = (name: string): Record<string, string | undefined> => ({
      ...signed.headers,
      [name]: undefined,
    });
    const cases: Array<[string, Record<string, string | undefined>, CallbackVerificationReason]> = [
      ['no Authorization', without('authorization'), 'missing-signature'],
      ['empty Authorization', { ...signed.headers, authorization: '' }, 'missing-signature'],
      ['no key URL', without('x-oss-pub-key-url'), 'missing-signature'],
      ['non-base64 Authorization', { ...signed.headers, authorization: 'not base64!' }, 'bad-signature'],
      ['10 KB Authorization', { ...signed.headers, authorization: 'A'.repeat(10 * 1024) }, 'bad-signature'],
      ['a 1-byte signature', { ...signed.headers, authorization: 'AA==' }, 'bad-signature'],
    ];
    for (const [what, headers, reason] of cases) {
      assert.equal(
        await reasonOf(verifyCallback({ ...signed, headers }, { trust: emulatorTrust })),
        reason,
        what,
      );
    }
  });

  it('refuses wrong methods, content types and oversize bodies before any signature check', async () => {
    const unsigned: CallbackRequestParts = {
      method: 'POST',
      target: '/cb',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.alloc(10 * 1024 * 1024, 0x61),
    };
    const oversize = await verifyCallback(unsigned).catch((e: unknown) => e);
    assert.ok(oversize instanceof CallbackVerificationError);
    assert.equal(oversize.reason, 'bad-request'); // not 'missing-signature': the size check came first
    assert.equal(oversize.status, 413);
    const small = { ...unsigned, body: Buffer.from(formBody) };
    assert.equal(await reasonOf(verifyCallback({ ...small, method: 'GET' })), 'bad-request');
    assert.equal(
      await reasonOf(verifyCallback({ ...small, headers: { 'content-type': 'text/plain' } })),
      'bad-request',
    );
    assert.equal(await reasonOf(verifyCallback({ ...small, headers: {} })), 'bad-request');
    assert.equal(await reasonOf(verifyCallback(small, { maxBodyBytes: 10 })), 'bad-request');
  });

  it('refuses an authentic body whose Content-Type does not match its encoding', async () => {
    const signed = toCallbackRequestParts(
      await buildSignedCallbackFor('http://127.0.0.1:3000/cb', formBody, emulatorKey),
    );
    const asJson = { ...signed, headers: { ...signed.headers, 'content-type': 'application/json' } };
    assert.equal(await reasonOf(verifyCallback(asJson, { trust: emulatorTrust })), 'bad-request');
  });
});

describe('verifyCallback with keys at hand and keys still to come', () => {
  it('answers alike whether the trust holds the key (pinned) or only resolves it asynchronously', async () => {
    // A CallbackKeyTrust of the application's own: verifyCallback can only await its resolve().
    const resolveCalls: string[] = [];
    const customTrust: CallbackKeyTrust = {
      lookup: (url) => emulatorTrust.lookup(url),
      resolve: async (url) => {
        resolveCalls.push(url);
        await new Promise((done) => setTimeout(done, 1));
        return emulatorTrust.resolve(url);
      },
    };
    const signed = toCallbackRequestParts(
      await buildSignedCallbackFor('http://127.0.0.1:3000/cb?a=1', formBody, emulatorKey),
    );
    const pinned = await verifyCallback(signed, { trust: emulatorTrust });
    assert.deepEqual(await verifyCallback(signed, { trust: customTrust }), pinned);
    assert.deepEqual(resolveCalls, [emulatorKeyUrl]);
    const forged = { ...signed, body: Buffer.from(formBody.replace('size=5', 'size=6')) };
    for (const trust of [emulatorTrust, customTrust]) {
      assert.equal(await reasonOf(verifyCallback(forged, { trust })), 'bad-signature');
      assert.equal(await reasonOf(verifyCallbackAuthenticity(forged, { trust })), 'bad-signature');
    }
  });

  it('rejects rather than throws, even for a refusal found before any await', async () => {
    const signed = toCallbackRequestParts(
      await buildSignedCallbackFor('http://127.0.0.1:3000/cb', formBody, emulatorKey),
    );
    const unsigned = { ...signed, headers: { ...signed.headers, authorization: undefined } };
    const pending = [
      verifyCallback({ ...signed, method: 'GET' }, { trust: emulatorTrust }),
      verifyCallback(unsigned, { trust: emulatorTrust }),
      verifyCallbackAuthenticity(unsigned, { trust: emulatorTrust }),
      verifyCallback({ ...signed, body: Buffer.from('size=1') }, { trust: emulatorTrust }),
    ];
    assert.deepEqual(await Promise.all(pending.map(reasonOf)), [
      'bad-request',
      'missing-signature',
      'missing-signature',
      'bad-signature',
    ]);
  });
});
