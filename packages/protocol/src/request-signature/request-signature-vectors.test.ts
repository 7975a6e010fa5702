// Golden vectors (test/vectors/v1-request-signatures.json, v4-request-signatures.json): every entry is
// checked step by step (canonical form, string to sign, signature), reproduced by the signing helpers, and
// accepted by verifyRequestSignature at the vector's own time — and rejected when one character changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildCanonicalRequestV4 } from './canonical-request-v4.js';
import { parseIsoBasicDateTime, parseRfc1123Date } from './request-time.js';
import { presignUrlV1, signRequestV1Header } from './sign-request-v1.js';
import { presignUrlV4, signRequestV4Header } from './sign-request-v4.js';
import { buildStringToSignV1, signV1 } from './string-to-sign-v1.js';
import { buildStringToSignV4, signV4 } from './string-to-sign-v4.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { SignedRequest, VerifyRequestDeps } from './verify-types.js';

interface VectorRequest {
  method: string;
  bucket: string;
  key: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}
interface V1Vector {
  id: string;
  accessKeySecret: string;
  request: VectorRequest;
  expected: { stringToSign: string; signature: string };
}
interface V4Vector {
  id: string;
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
  product: string;
  signingTime: string;
  presigned: boolean;
  request: VectorRequest & { additionalHeaders: string[] };
  expected: {
    canonicalRequest: string;
    stringToSign: string;
    signature: string;
    authorization?: string;
  };
}

function readVectors<T>(name: string): T[] {
  const url = new URL(`../../../../test/vectors/${name}`, import.meta.url);
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as { vectors: T[] };
  assert.ok(parsed.vectors.length > 0, `${name} has vectors`);
  return parsed.vectors;
}

const v1Vectors = readVectors<V1Vector>('v1-request-signatures.json');
const v4Vectors = readVectors<V4Vector>('v4-request-signatures.json');

/** Node hands the server lower-case header names; the vectors use SDK spelling. */
function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function depsFor(accessKeyId: string, secret: string, nowMs: number): VerifyRequestDeps {
  return { lookupSecret: (ak) => (ak === accessKeyId ? { secret } : undefined), nowMs };
}

/** Changes one character while keeping length and alphabet (base64 and hex alike). */
function flipOneChar(signature: string): string {
  const first = signature[0] === 'a' ? 'b' : 'a';
  return first + signature.slice(1);
}

function assertRejectedWithStringToSign(request: SignedRequest, deps: VerifyRequestDeps, sts: string): void {
  const verdict = verifyRequestSignature(request, deps);
  assert.equal(verdict.ok, false);
  if (verdict.ok) return;
  assert.equal(verdict.error.code, 'SignatureDoesNotMatch');
  assert.deepEqual(
    verdict.error.extra.find(([name]) => name === 'StringToSign'),
    ['StringToSign', sts],
  );
}

describe('V1 request-signature vectors', () => {
  for (const vector of v1Vectors) {
    const { request, expected } = vector;
    const expires = request.query['Expires'];
    const accessKeyId = request.query['OSSAccessKeyId'] ?? 'vector-ak';
    const base = { method: request.method, bucket: request.bucket, key: request.key };

    it(`${vector.id}: builds the expected string to sign and signature`, () => {
      const stringToSign = buildStringToSignV1({
        ...base,
        query: request.query,
        headers: request.headers,
        dateOrExpires: expires,
      });
      assert.equal(stringToSign, expected.stringToSign);
      assert.equal(signV1(stringToSign, vector.accessKeySecret), expected.signature);
    });

    if (expires === undefined) {
      const dateText = request.headers['x-oss-date'] ?? request.headers['Date'] ?? '';
      const nowMs = parseRfc1123Date(dateText) ?? NaN;
      const headers = lowerCaseHeaders(request.headers);
      const signed = (signature: string): SignedRequest => ({
        ...base,
        query: Object.entries(request.query),
        headers: { ...headers, authorization: `OSS ${accessKeyId}:${signature}` },
      });
      it(`${vector.id}: is accepted by the verifier at its own date and rejected with one character changed`, () => {
        const deps = depsFor(accessKeyId, vector.accessKeySecret, nowMs);
        assert.deepEqual(verifyRequestSignature(signed(expected.signature), deps), {
          ok: true,
          accessKeyId,
          scheme: 'v1-header',
        });
        assertRejectedWithStringToSign(signed(flipOneChar(expected.signature)), deps, expected.stringToSign);
      });
      if (request.headers['x-oss-date'] !== undefined) {
        it(`${vector.id}: is reproduced by signRequestV1Header (ali-oss style x-oss-date)`, () => {
          const out = signRequestV1Header({
            ...base,
            query: request.query,
            headers: request.headers,
            accessKeyId,
            secret: vector.accessKeySecret,
            nowMs,
          });
          assert.equal(out.stringToSign, expected.stringToSign);
          assert.equal(out.headers['authorization'], `OSS ${accessKeyId}:${expected.signature}`);
        });
      }
    } else {
      const query = Object.entries(request.query);
      const signed = (signature: string): SignedRequest => ({
        ...base,
        query: [...query, ['Signature', signature]],
        headers: lowerCaseHeaders(request.headers),
      });
      it(`${vector.id}: is accepted up to and including its Expires second, and rejected with one character changed`, () => {
        const deps = depsFor(accessKeyId, vector.accessKeySecret, Number(expires) * 1000);
        assert.deepEqual(verifyRequestSignature(signed(expected.signature), deps), {
          ok: true,
          accessKeyId,
          scheme: 'v1-presigned',
        });
        assertRejectedWithStringToSign(signed(flipOneChar(expected.signature)), deps, expected.stringToSign);
      });
      it(`${vector.id}: is reproduced by presignUrlV1`, () => {
        const out = presignUrlV1({
          ...base,
          // The STS token is a credential the helper adds itself (as the security-token sub-resource).
          query: query.filter(([name]) => !['OSSAccessKeyId', 'Expires', 'security-token'].includes(name)),
          headers: request.headers,
          accessKeyId,
          securityToken: request.query['security-token'],
          secret: vector.accessKeySecret,
          expiresUnixSeconds: Number(expires),
          origin: `http://${request.bucket}.oss-cn-hangzhou.aliyuncs.com`,
        });
        assert.equal(out.stringToSign, expected.stringToSign);
        assert.equal(out.signature, expected.signature);
      });
    }
  }
});

describe('V4 request-signature vectors', () => {
  for (const vector of v4Vectors) {
    const { request, expected } = vector;
    const signedAtMs = parseIsoBasicDateTime(vector.signingTime) ?? NaN;
    const scope = { date: vector.signingTime.slice(0, 8), region: vector.region, product: vector.product };
    const base = { method: request.method, bucket: request.bucket, key: request.key };
    const credentials = { accessKeyId: vector.accessKeyId, secret: vector.accessKeySecret };

    it(`${vector.id}: builds the expected canonical request, string to sign and signature`, () => {
      const canonicalRequest = buildCanonicalRequestV4({ ...request, presigned: vector.presigned });
      assert.equal(canonicalRequest, expected.canonicalRequest);
      const stringToSign = buildStringToSignV4({ dateTime: vector.signingTime, ...scope, canonicalRequest });
      assert.equal(stringToSign, expected.stringToSign);
      assert.equal(signV4(stringToSign, vector.accessKeySecret, scope), expected.signature);
    });

    if (!vector.presigned) {
      const signed = (authorization: string): SignedRequest => ({
        ...base,
        query: Object.entries(request.query),
        headers: { ...lowerCaseHeaders(request.headers), authorization },
      });
      it(`${vector.id}: is reproduced by signRequestV4Header, Authorization value included`, () => {
        const out = signRequestV4Header({
          ...request,
          ...credentials,
          region: vector.region,
          product: vector.product,
          nowMs: signedAtMs,
        });
        assert.equal(out.canonicalRequest, expected.canonicalRequest);
        assert.equal(out.headers['authorization'], expected.authorization);
      });
      it(`${vector.id}: is accepted by the verifier at its signing time and rejected with one character changed`, () => {
        const deps = depsFor(vector.accessKeyId, vector.accessKeySecret, signedAtMs);
        const authorization = expected.authorization ?? '';
        assert.deepEqual(verifyRequestSignature(signed(authorization), deps), {
          ok: true,
          accessKeyId: vector.accessKeyId,
          scheme: 'v4-header',
        });
        const bad = authorization.replace(expected.signature, flipOneChar(expected.signature));
        assertRejectedWithStringToSign(signed(bad), deps, expected.stringToSign);
      });
    } else {
      const query = Object.entries(request.query);
      const expiresSeconds = Number(request.query['x-oss-expires']);
      const signed = (signature: string): SignedRequest => ({
        ...base,
        query: [...query, ['x-oss-signature', signature]],
        headers: lowerCaseHeaders(request.headers),
      });
      it(`${vector.id}: is reproduced by presignUrlV4`, () => {
        const out = presignUrlV4({
          ...request,
          ...credentials,
          region: vector.region,
          product: vector.product,
          nowMs: signedAtMs,
          expiresSeconds,
          origin: `http://${request.bucket}.oss-${vector.region}.aliyuncs.com`,
        });
        assert.equal(out.canonicalRequest, expected.canonicalRequest);
        assert.equal(out.signature, expected.signature);
      });
      it(`${vector.id}: is accepted until x-oss-date + x-oss-expires inclusive and rejected with one character changed`, () => {
        const deps = depsFor(vector.accessKeyId, vector.accessKeySecret, signedAtMs + expiresSeconds * 1000);
        assert.deepEqual(verifyRequestSignature(signed(expected.signature), deps), {
          ok: true,
          accessKeyId: vector.accessKeyId,
          scheme: 'v4-presigned',
        });
        assertRejectedWithStringToSign(signed(flipOneChar(expected.signature)), deps, expected.stringToSign);
      });
    }
  }
});
