// Property-based fuzzing of callback signing and verification (oss-protocol §9.3; threats §B8, §C6.52,
// §C6.53): a callback signed with the emulator test key verifies; any single change to the body, the
// query, the signature or the key makes it fail; a change to the path fails unless it leaves the
// percent-decoded path the same (the documented equivalence, `/cb` ≡ `/%63b`) or is the documented
// `+`-as-space reading. The oracle decodes paths with its own small decoder. verifyCallbackSignature
// never throws on garbage. Seeded (FC_SEED / FC_RUNS override).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildCallbackStringToSign, signCallback, verifyCallbackSignature } from './callback-signature.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const keyPem = readFileSync(
  new URL('../../../../test/vectors/emulator-test-key.pem', import.meta.url),
  'utf8',
);
const privateKey = createPrivateKey(keyPem);
const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
const otherKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

/** Reference §9.3 decoding: `%XX` → that byte, anything else (a stray `%` too) → its UTF-8 bytes. */
function decodePathReference(path: string): Buffer {
  return Buffer.concat(
    path
      .split(/(%[0-9A-Fa-f]{2})/)
      .map((piece) =>
        /^%[0-9A-Fa-f]{2}$/.test(piece)
          ? Buffer.of(parseInt(piece.slice(1), 16))
          : Buffer.from(piece, 'utf8'),
      ),
  );
}

function stringToSignReference(target: string, body: Uint8Array, plusAsSpace = false): Buffer {
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  const decoded = decodePathReference(plusAsSpace ? path.replaceAll('+', ' ') : path);
  return Buffer.concat([decoded, Buffer.from(`${query}\n`, 'utf8'), body]);
}

const pathChar = fc.oneof(
  fc.constantFrom('a', 'c', 'b', '/', '-', '.', '~', '_', '%', '%2F', '%2f', '%63', '%41', '%zz', '%4', '+'),
  fc.constantFrom('%20', '%2B', '%25', '%E2%82%AC', '%e2%82%ac', '%FF', ':', '@', '!', '=', '&', 'é', '€'),
);
const queryChar = fc.oneof(pathChar, fc.constantFrom('?', '=', '&', '#', ' '));
const path = fc.array(pathChar, { maxLength: 10 }).map((parts) => `/${parts.join('')}`);
const query = fc.option(fc.array(queryChar, { maxLength: 8 }).map((parts) => `?${parts.join('')}`));
const target = fc.tuple(path, query).map(([p, q]) => p + (q ?? ''));
const body = fc.uint8Array({ maxLength: 64 });

interface Signed {
  readonly target: string;
  readonly body: Uint8Array;
  readonly authorization: string;
}

async function sign(target: string, body: Uint8Array): Promise<Signed> {
  const authorization = await signCallback(buildCallbackStringToSign(target, body), privateKey);
  return { target, body, authorization };
}

const verify = (s: Signed, publicKey: typeof otherKey | string = publicKeyPem): boolean =>
  verifyCallbackSignature({
    requestTarget: s.target,
    body: s.body,
    authorization: s.authorization,
    publicKey,
  }).ok;

/** Replaces code unit `at` (mod length) of `text`, or inserts when `insert`, or deletes when `replacement` is ''. */
function edit(text: string, at: number, replacement: string): string {
  if (text.length === 0) return replacement;
  const i = at % text.length;
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

const base64Char = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split(''),
);

describe('callback signatures resist single mutations (oss-protocol §9.3, threats §C6.52)', () => {
  it('verifies what it signed, for any path, query and body', async () => {
    await fc.assert(
      fc.asyncProperty(target, body, async (t, b) => {
        const signed = await sign(t, b);
        assert.deepEqual(buildCallbackStringToSign(t, b), stringToSignReference(t, b));
        assert.equal(verify(signed), true);
        assert.equal(verify(signed, otherKey), false);
      }),
      runs(200),
    );
  });

  it('fails for any change to one body byte (flip, insert or delete)', async () => {
    const change = fc.record({
      at: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
      mode: fc.constantFrom('flip', 'insert', 'delete'),
    });
    await fc.assert(
      fc.asyncProperty(target, body, change, async (t, b, { at, xor, mode }) => {
        const signed = await sign(t, b);
        const bytes = Buffer.from(b);
        const i = bytes.length === 0 ? 0 : at % bytes.length;
        let changed: Buffer;
        if (mode === 'flip' && bytes.length > 0) {
          changed = Buffer.from(bytes);
          changed[i] = changed[i]! ^ xor;
        } else if (mode === 'delete' && bytes.length > 0) {
          changed = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
        } else {
          changed = Buffer.concat([bytes.subarray(0, i), Buffer.of(xor), bytes.subarray(i)]);
        }
        assert.equal(verify({ ...signed, body: changed }), false);
      }),
      runs(200),
    );
  });

  it('fails for any change to the query, including adding or removing the `?`', async () => {
    await fc.assert(
      fc.asyncProperty(path, query, body, fc.nat(), queryChar, async (p, q, b, at, replacement) => {
        const signed = await sign(p + (q ?? ''), b);
        const changedQuery = q === null ? '?' : edit(q.slice(1), at, replacement);
        const changed = q === null ? p + changedQuery : `${p}?${changedQuery}`;
        fc.pre(changed !== signed.target);
        assert.equal(verify({ ...signed, target: changed }), false, changed);
        if (q !== null) assert.equal(verify({ ...signed, target: p }), false, 'query removed');
      }),
      runs(200),
    );
  });

  it('fails for a path change unless the percent-decoded path is the same (or `+` read as space)', async () => {
    let equivalent = 0;
    await fc.assert(
      fc.asyncProperty(
        path,
        query,
        body,
        fc.nat(),
        fc.oneof(pathChar, fc.constant('')),
        async (p, q, b, at, replacement) => {
          const original = p + (q ?? '');
          const signed = await sign(original, b);
          const changedPath = `/${edit(p.slice(1), at, replacement)}`;
          const changed = changedPath + (q ?? '');
          const expected = stringToSignReference(original, b);
          const same =
            stringToSignReference(changed, b).equals(expected) ||
            (changedPath.includes('+') && stringToSignReference(changed, b, true).equals(expected));
          if (same) equivalent += 1;
          assert.equal(verify({ ...signed, target: changed }), same, `${original} → ${changed}`);
        },
      ),
      runs(300),
    );
    assert.ok(equivalent > 0, 'no equivalent path spelling was generated: the oracle was never exercised');
  });

  it('fails for any change to one character of the signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        target,
        body,
        fc.nat(),
        fc.oneof(base64Char, fc.constant('')),
        async (t, b, at, replacement) => {
          const signed = await sign(t, b);
          const authorization = edit(signed.authorization, at, replacement);
          fc.pre(authorization !== signed.authorization);
          assert.equal(verify({ ...signed, authorization }), false, authorization);
        },
      ),
      runs(200),
    );
  });
});

describe('verifyCallbackSignature never throws (threats §C6.53)', () => {
  it('returns ok:false with the string to sign for arbitrary targets, bodies, signatures and keys', () => {
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.constantFrom('', '=', '====', 'A'.repeat(5000), Buffer.alloc(256).toString('base64')),
    );
    const publicKey = fc.oneof(
      fc.constant<string | typeof ecKey>(publicKeyPem),
      fc.constant<string | typeof ecKey>(ecKey),
      fc.constant<string | typeof ecKey>(otherKey),
      fc.string({ maxLength: 40 }),
      fc.constant('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        body,
        authorization,
        publicKey,
        (t, b, auth, key) => {
          const verdict = verifyCallbackSignature({
            requestTarget: t,
            body: b,
            authorization: auth,
            publicKey: key,
          });
          assert.equal(verdict.ok, false);
          if (!verdict.ok) assert.ok(Buffer.isBuffer(verdict.stringToSign));
        },
      ),
      runs(500),
    );
  });
});
