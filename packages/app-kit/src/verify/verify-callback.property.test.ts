// Property-based fuzzing of verifyCallback (oss-protocol §9.3, §9.4; threats §B3, §C6.50–C6.53, §C6.56):
// for arbitrary methods, targets, headers and bodies it only ever rejects with a CallbackVerificationError
// carrying a known reason; and a callback genuinely signed with the emulator test key stops verifying
// after any single change to a signed part (body byte, path character — except spellings that decode to
// the same path, §9.3 — query, Authorization) or to the key URL or method. Seeded (FC_SEED / FC_RUNS).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildSignedCallbackFor,
  readEmulatorTestKey,
  toCallbackRequestParts,
} from '../test-support/build-signed-callback.js';
import { createCallbackKeyTrust } from './callback-key-trust.js';
import { CallbackVerificationError, type CallbackVerificationReason } from './callback-verification-error.js';
import { verifyCallback, type CallbackRequestParts } from './verify-callback.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const keyUrl = 'http://127.0.0.1:9000/_upcall/callback-public-key.pem';
const key = readEmulatorTestKey(keyUrl);
const trust = createCallbackKeyTrust({ pinnedKeys: { [keyUrl]: key.publicKeyPem } });
const reasons: ReadonlySet<CallbackVerificationReason> = new Set([
  'missing-signature',
  'untrusted-key-url',
  'key-unavailable',
  'bad-signature',
  'bad-request',
]);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The reason verifyCallback refused with; fails the test on success or on any other exception. */
async function refusal(request: CallbackRequestParts): Promise<CallbackVerificationReason> {
  try {
    await verifyCallback(request, { trust });
  } catch (error) {
    assert.ok(
      error instanceof CallbackVerificationError,
      `not a CallbackVerificationError: ${String(error)}`,
    );
    assert.ok(reasons.has(error.reason), error.reason);
    assert.ok(error.status >= 400 && error.status < 600);
    return error.reason;
  }
  return assert.fail(
    `verified: ${JSON.stringify({ ...request, body: Buffer.from(request.body).toString('latin1') })}`,
  );
}

const junk = fc.string({ unit: 'binary', maxLength: 30 });
const headerValue = fc.oneof(
  junk,
  fc.constantFrom(
    b64(keyUrl),
    b64(`${keyUrl} `),
    b64('https://gosspublic.alicdn.com/callback_pub_key_v1.pem'),
  ),
  fc.constantFrom(b64('https://gosspublic.alicdn.com@evil.example/k.pem'), 'aHR0cDovL2V2aWw=', '', '='),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  fc.constantFrom('application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'text/plain'),
);
const garbage: fc.Arbitrary<CallbackRequestParts> = fc.record({
  method: fc.oneof(fc.constantFrom('POST', 'post', 'GET'), junk),
  target: fc.oneof(junk, fc.constantFrom('/cb', '/cb?x=1', '/%zz', '/a+b', '*')),
  headers: fc.record(
    {
      authorization: headerValue,
      'x-oss-pub-key-url': headerValue,
      'content-type': headerValue,
    },
    { requiredKeys: [] },
  ),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc
      .constantFrom('size=1&bucket=b&object=o&etag=e&uploadId=u', '{"size":1}', '%', 'a=%E0%A4%A')
      .map((t) => Buffer.from(t)),
    fc.constant(new Uint8Array(64 * 1024 + 1)),
  ),
});

describe('verifyCallback refuses garbage only with CallbackVerificationError (threats §C6.53, §C6.56)', () => {
  it('never throws anything else and never accepts, whatever the method, target, headers and body', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (request) => {
        await refusal(request);
      }),
      runs(500),
    );
  });
});

// ---------- single mutations of a genuinely signed callback ----------

const pathChar = fc.constantFrom(
  'a',
  'c',
  'b',
  '/',
  '-',
  '.',
  '~',
  '_',
  '%2F',
  '%63',
  '%41',
  '%20',
  '%E2%82%AC',
  '!',
  '@',
  ':',
);
const callbackPath = fc.array(pathChar, { maxLength: 8 }).map((parts) => `/${parts.join('')}`);
const callbackQuery = fc.option(
  fc
    .array(fc.constantFrom('a', '=', '&', '1', '%2F', '+', '%20'), { minLength: 1, maxLength: 6 })
    .map((p) => `?${p.join('')}`),
  { nil: '' },
);
const formValue = fc.string({ unit: 'binary', maxLength: 10 });
const formBody = fc
  .record({ object: formValue, etag: formValue, size: fc.nat(), extra: formValue })
  .map(({ object, etag, size, extra }) =>
    new URLSearchParams({
      bucket: 'examplebucket',
      object: `o${object}`,
      etag: `E${etag}`,
      size: String(size),
      uploadId: 'u1',
      'x:v': extra,
    }).toString(),
  );

/** Reference §9.3 path decoding (bytes), to tell a real change from an equivalent spelling. */
function decodedPath(target: string, plusAsSpace = false): Buffer {
  const raw = target.split('?', 1)[0] ?? '';
  const path = plusAsSpace ? raw.replaceAll('+', ' ') : raw;
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
const queryOf = (target: string): string => (target.includes('?') ? target.slice(target.indexOf('?')) : '');

type Change =
  | { part: 'body'; at: number; xor: number }
  | { part: 'path' | 'query' | 'authorization'; at: number; text: string }
  | { part: 'key-url'; text: string }
  | { part: 'respell'; at: number }
  | { part: 'method' };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ part: fc.constant('body' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    part: fc.constantFrom('path' as const, 'query' as const),
    at: fc.nat(),
    text: fc.oneof(pathChar, fc.constantFrom('', '?', '+')),
  }),
  fc.record({
    part: fc.constant('authorization' as const),
    at: fc.nat(),
    text: fc.constantFrom('A', 'B', '+', '/', '=', '', 'AA'),
  }),
  fc.record({
    part: fc.constant('key-url' as const),
    text: fc.constantFrom(`${keyUrl}x`, keyUrl.replace('9000', '9001'), keyUrl.toUpperCase()),
  }),
  fc.record({ part: fc.constant('respell' as const), at: fc.nat() }),
  fc.record({ part: fc.constant('method' as const) }),
);

/** `/cb` → `/%63b`: percent-encodes one unescaped ASCII path character (§9.3: signed decoded). */
function respell(path: string, at: number): string | undefined {
  const plain = [...path.matchAll(/[A-Za-z0-9._~!@:-]/g)].filter(
    (m) => path[(m.index ?? 0) - 1] !== '%' && path[(m.index ?? 0) - 2] !== '%',
  );
  const match = plain[at % Math.max(plain.length, 1)];
  if (match === undefined) return undefined;
  const i = match.index ?? 0;
  const code = match[0].charCodeAt(0).toString(16).padStart(2, '0');
  return `${path.slice(0, i)}%${at % 2 === 0 ? code.toUpperCase() : code}${path.slice(i + 1)}`;
}

const splice = (text: string, at: number, replacement: string): string => {
  const i = text.length === 0 ? 0 : at % text.length;
  return text.slice(0, i) + replacement + text.slice(i + 1);
};

function apply(request: CallbackRequestParts, c: Change): CallbackRequestParts | undefined {
  const path = request.target.split('?', 1)[0] ?? '/';
  const query = queryOf(request.target);
  switch (c.part) {
    case 'body': {
      const body = Buffer.from(request.body);
      const i = c.at % body.length;
      body[i] = body[i]! ^ c.xor;
      return { ...request, body };
    }
    case 'path':
      return { ...request, target: `/${splice(path.slice(1), c.at, c.text)}${query}` };
    case 'query':
      return {
        ...request,
        target: path + (query === '' ? `?${c.text}` : `?${splice(query.slice(1), c.at, c.text)}`),
      };
    case 'authorization': {
      const authorization = splice(request.headers['authorization'] ?? '', c.at, c.text);
      return authorization === request.headers['authorization']
        ? undefined
        : { ...request, headers: { ...request.headers, authorization } };
    }
    case 'key-url':
      return { ...request, headers: { ...request.headers, 'x-oss-pub-key-url': b64(c.text) } };
    case 'respell': {
      const respelled = respell(path, c.at);
      return respelled === undefined ? undefined : { ...request, target: respelled + query };
    }
    case 'method':
      return { ...request, method: 'PUT' };
  }
}

/** Whether `changed` is only another spelling of `original` that §9.3 accepts (decoded path, `+` as space). */
function isEquivalent(original: CallbackRequestParts, changed: CallbackRequestParts): boolean {
  return (
    changed.method === original.method &&
    changed.headers === original.headers &&
    Buffer.from(changed.body).equals(Buffer.from(original.body)) &&
    queryOf(changed.target) === queryOf(original.target) &&
    (decodedPath(changed.target).equals(decodedPath(original.target)) ||
      decodedPath(changed.target, true).equals(decodedPath(original.target)))
  );
}

describe('verifyCallback refuses any single change to a signed callback (threats §C6.52)', () => {
  it('verifies the genuine callback and refuses every changed one, except equivalent path spellings', async () => {
    let equivalent = 0;
    await fc.assert(
      fc.asyncProperty(callbackPath, callbackQuery, formBody, change, async (path, query, body, c) => {
        const signed = await buildSignedCallbackFor(`http://127.0.0.1:9${path}${query}`, body, key);
        const original = toCallbackRequestParts(signed);
        const verified = await verifyCallback(original, { trust });
        assert.equal(verified.uploadId, 'u1');
        const changed = apply(original, c);
        fc.pre(changed !== undefined);
        if (isEquivalent(original, changed)) {
          equivalent += 1;
          assert.equal((await verifyCallback(changed, { trust })).uploadId, 'u1');
          return;
        }
        await refusal(changed);
      }),
      runs(300),
    );
    assert.ok(
      equivalent > 0,
      'no equivalent spelling was generated: the equivalence branch was never exercised',
    );
  });
});
