// Property-based fuzzing of header and presigned request auth (oss-protocol §6, §7; threats §B1, §B8,
// §C1.2, §C1.5): verifyRequestSignature never throws on hostile headers, query parameters, methods or keys;
// every refusal is an OssError verdict (so the server can never turn it into a 500). The single-mutation
// properties of signed requests are in sign-request.property.test.ts. Seeded (FC_SEED / FC_RUNS override).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OssError } from '../errors/index.js';
import { formatRfc1123Date } from './request-time.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { AccessKeyRecord, SignedRequest, VerifyRequestDeps } from './verify-types.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const nowMs = Date.UTC(2024, 4, 1, 12, 0, 0);
// A Map, not a plain object: a looked-up `__proto__` or `constructor` must not find a "key".
const keyStore = new Map<string, AccessKeyRecord>([
  ['ak', { secret: 'sk' }],
  ['STS.tmp', { secret: 'sts-secret', securityToken: 'token-1' }],
]);
const deps: VerifyRequestDeps = { lookupSecret: (id) => keyStore.get(id), nowMs, regions: ['cn-hangzhou'] };

function verdictOf(request: SignedRequest): { ok: boolean; error?: OssError } {
  const verdict = verifyRequestSignature(request, deps);
  if (!verdict.ok) assert.ok(verdict.error instanceof OssError, String(verdict.error));
  return verdict.ok ? { ok: true } : { ok: false, error: verdict.error };
}

// ---------- garbage ----------

const junk = fc.string({ unit: 'binary', maxLength: 24 });
const loneSurrogates = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const token = fc.oneof(
  junk,
  loneSurrogates,
  fc.constantFrom(
    'OSS ',
    'OSS4-HMAC-SHA256 ',
    'Credential=',
    'Signature=',
    'AdditionalHeaders=',
    ',',
    ':',
    '/',
  ),
  fc.constantFrom('ak', 'STS.tmp', '__proto__', 'constructor', '20240501', '20240501T120000Z', 'cn-hangzhou'),
  fc.constantFrom('oss', 'aliyun_v4_request', 'UNSIGNED-PAYLOAD', 'OSS4-HMAC-SHA256', 'host', ';', '60', ''),
  fc.constantFrom(formatRfc1123Date(nowMs), String(nowMs / 1000 + 60), ' ', '\t', '\r\n', '=', '%'),
);
const garbageValue = fc.array(token, { maxLength: 8 }).map((parts) => parts.join(''));
const headerName = fc.oneof(
  fc.constantFrom('authorization', 'Authorization', 'x-oss-date', 'date', 'x-oss-content-sha256', 'host'),
  fc.constantFrom('x-oss-security-token', 'content-type', 'content-md5', 'x-oss-meta-a', '__proto__'),
  junk,
);
const queryName = fc.oneof(
  fc.constantFrom('OSSAccessKeyId', 'Expires', 'Signature', 'security-token', 'x-oss-signature-version'),
  fc.constantFrom(
    'x-oss-credential',
    'x-oss-date',
    'x-oss-expires',
    'x-oss-signature',
    'x-oss-additional-headers',
  ),
  fc.constantFrom('x-oss-security-token', 'uploadId', 'acl', 'partNumber', '__proto__'),
  junk,
);
const garbageRequest: fc.Arbitrary<SignedRequest> = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'PUT', 'post'), junk),
  bucket: fc.option(garbageValue, { nil: undefined }),
  key: fc.option(fc.oneof(garbageValue, loneSurrogates), { nil: undefined }),
  query: fc.array(fc.tuple(queryName, garbageValue), { maxLength: 6 }),
  headers: fc
    .array(fc.tuple(headerName, fc.oneof(garbageValue, fc.array(garbageValue, { maxLength: 3 }))), {
      maxLength: 6,
    })
    .map((entries) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of entries) {
        Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
      }
      return headers;
    }),
});

describe('verifyRequestSignature never throws on hostile input (threats §C1.2)', () => {
  it('returns ok:false with an OssError for arbitrary headers, query parameters, methods and keys', () => {
    fc.assert(
      fc.property(garbageRequest, (request) => {
        assert.equal(verdictOf(request).ok, false);
      }),
      runs(1000),
    );
  });
});
