// Shared fixtures for the verifier tests: valid requests come from the signing helpers (themselves pinned
// to the SDK vectors), and small editors break exactly one thing in them.
import assert from 'node:assert/strict';
import type { OssError, OssErrorCode } from '../errors/index.js';
import { presignUrlV1, signRequestV1Header } from './sign-request-v1.js';
import { presignUrlV4, signRequestV4Header } from './sign-request-v4.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { AccessKeyRecord, SignedRequest, VerifyRequestDeps } from './verify-types.js';

export const nowMs = Date.UTC(2024, 4, 1, 12, 0, 0);
export const keys: Record<string, AccessKeyRecord> = {
  ak: { secret: 'sk' },
  'STS.tmp': { secret: 'sts-secret', securityToken: 'token-1' },
};
export const deps = (overrides: Partial<VerifyRequestDeps> = {}): VerifyRequestDeps => ({
  lookupSecret: (ak) => keys[ak],
  nowMs,
  ...overrides,
});
export const target = { method: 'PUT', bucket: 'bucket', key: 'dir/a+b.txt' };
export const userHeaders = {
  'content-type': 'text/plain',
  'x-oss-meta-owner': 'alice',
  host: 'bucket.example',
};

type Headers = Record<string, string | readonly string[]>;

export function lowerCased(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

export function v1HeaderRequest(options: { at?: number; ak?: string; token?: string } = {}): SignedRequest {
  const ak = options.ak ?? 'ak';
  const signed = signRequestV1Header({
    ...target,
    query: [
      ['uploadId', 'u1'],
      ['partNumber', '2'],
      ['prefix', 'ignored'],
    ],
    headers: userHeaders,
    accessKeyId: ak,
    secret: keys[ak]?.secret ?? 'unknown',
    securityToken: options.token,
    nowMs: options.at ?? nowMs,
  });
  return {
    ...target,
    query: [
      ['uploadId', 'u1'],
      ['partNumber', '2'],
      ['prefix', 'ignored'],
    ],
    headers: lowerCased(signed.headers),
  };
}

export function v4HeaderRequest(
  options: { at?: number; region?: string; token?: string; ak?: string } = {},
): SignedRequest {
  const ak = options.ak ?? 'ak';
  const query: Array<[string, string]> = [
    ['uploads', ''],
    ['x-oss-extra', 'v'],
  ];
  const signed = signRequestV4Header({
    ...target,
    query,
    headers: userHeaders,
    additionalHeaders: ['host'],
    accessKeyId: ak,
    secret: keys[ak]?.secret ?? 'unknown',
    securityToken: options.token,
    region: options.region ?? 'cn-hangzhou',
    nowMs: options.at ?? nowMs,
  });
  return { ...target, query, headers: lowerCased(signed.headers) };
}

export function v1PresignedRequest(expiresUnixSeconds = nowMs / 1000 + 60): SignedRequest {
  const out = presignUrlV1({
    ...target,
    headers: userHeaders,
    accessKeyId: 'ak',
    secret: 'sk',
    expiresUnixSeconds,
    origin: 'http://127.0.0.1',
  });
  return { ...target, query: out.query, headers: userHeaders };
}

export function v4PresignedRequest(options: { at?: number; expiresSeconds?: number } = {}): SignedRequest {
  const out = presignUrlV4({
    ...target,
    headers: userHeaders,
    additionalHeaders: ['host'],
    accessKeyId: 'ak',
    secret: 'sk',
    region: 'cn-hangzhou',
    nowMs: options.at ?? nowMs,
    expiresSeconds: options.expiresSeconds ?? 600,
    origin: 'http://127.0.0.1',
  });
  return { ...target, query: out.query, headers: userHeaders };
}

export function rejectsWith(
  request: SignedRequest,
  code: OssErrorCode,
  d: VerifyRequestDeps = deps(),
): OssError {
  const verdict = verifyRequestSignature(request, d);
  assert.equal(verdict.ok, false, `expected ${code}`);
  if (verdict.ok) throw new Error('unreachable');
  assert.equal(verdict.error.code, code, verdict.error.message);
  return verdict.error;
}

export function acceptsAs(request: SignedRequest, scheme: string, d: VerifyRequestDeps = deps()): void {
  const verdict = verifyRequestSignature(request, d);
  assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.error.code}: ${verdict.error.message}`);
  assert.equal(verdict.scheme, scheme);
}

export function setHeader(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const headers = { ...request.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...request, headers };
}

export function setQuery(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const query = request.query.filter(([n]) => n !== name);
  return { ...request, query: value === undefined ? query : [...query, [name, value]] };
}

export function replaceSignatureV1Header(
  request: SignedRequest,
  change: (sig: string) => string,
): SignedRequest {
  const auth = String(request.headers['authorization']);
  const [prefix, sig] = auth.split(':') as [string, string];
  return setHeader(request, 'authorization', `${prefix}:${change(sig)}`);
}

export function replaceSignatureV4Header(
  request: SignedRequest,
  change: (sig: string) => string,
): SignedRequest {
  const auth = String(request.headers['authorization']);
  return setHeader(
    request,
    'authorization',
    auth.replace(/Signature=([0-9a-f]+)/, (_, sig: string) => `Signature=${change(sig)}`),
  );
}

export const offByOne = (sig: string): string =>
  sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.slice(-1);

export function setHeaderArray(request: SignedRequest, name: string, values: string[]): SignedRequest {
  return { ...request, headers: { ...request.headers, [name]: values } };
}
