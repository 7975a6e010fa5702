// Property-based fuzzing of signed requests (oss-protocol §6, §7; threats §B1, §C1.1): a request signed with
// V1 or V4 — header or presigned URL — verifies, and stops verifying when any one signed component changes:
// method, bucket, key, a signed header (changed, removed or added), a signed query parameter (the date and
// expiry included), the access key id or one character of the signature. Values are well-formed Unicode:
// a lone surrogate and U+FFFD share one UTF-8 encoding, so they are not two different requests.
// Seeded (FC_SEED / FC_RUNS override).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { presignUrlV1, signRequestV1Header } from './sign-request-v1.js';
import { presignUrlV4, signRequestV4Header } from './sign-request-v4.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { AccessKeyRecord, SignedRequest, VerifyRequestDeps } from './verify-types.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const nowMs = Date.UTC(2024, 4, 1, 12, 0, 0);
const keyStore = new Map<string, AccessKeyRecord>([
  ['ak', { secret: 'sk' }],
  ['STS.tmp', { secret: 'sts-secret', securityToken: 'token-1' }],
]);
const deps: VerifyRequestDeps = { lookupSecret: (id) => keyStore.get(id), nowMs, regions: ['cn-hangzhou'] };
const verifies = (request: SignedRequest): boolean => verifyRequestSignature(request, deps).ok;

type Scheme = 'v1-header' | 'v1-presigned' | 'v4-header' | 'v4-presigned';
type Headers = Record<string, string | readonly string[]>;

const wellFormed = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
const parts = fc.record({
  method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD'),
  key: wellFormed,
  contentType: fc.oneof(fc.constantFrom('text/plain', 'image/png'), wellFormed),
  meta: wellFormed,
  md5: fc.option(fc.constantFrom('1B2M2Y8AsgTpgAmY7PhCfg==', 'XrY7u+Ae7tCTyyK7j1rNww=='), { nil: undefined }),
  query: fc.uniqueArray(
    fc.tuple(
      fc.oneof(fc.constantFrom('uploadId', 'partNumber', 'acl', 'x-oss-process', 'prefix'), wellFormed),
      fc.oneof(fc.constant(''), wellFormed),
    ),
    { maxLength: 3, selector: ([name]) => name },
  ),
  sts: fc.boolean(),
});
type Parts = typeof parts extends fc.Arbitrary<infer T> ? T : never;

const lower = (headers: Headers): Headers =>
  Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));

function signRequest(scheme: Scheme, p: Parts): SignedRequest {
  const accessKeyId = p.sts ? 'STS.tmp' : 'ak';
  const secret = keyStore.get(accessKeyId)!.secret;
  const headers: Record<string, string> = { 'content-type': p.contentType, 'x-oss-meta-owner': p.meta };
  headers['host'] = 'bucket.example';
  if (p.md5 !== undefined) headers['content-md5'] = p.md5;
  const base = { method: p.method, bucket: 'bucket', key: p.key, query: p.query, headers };
  const input = { ...base, accessKeyId, secret, securityToken: p.sts ? 'token-1' : undefined, nowMs };
  const v4 = { ...input, region: 'cn-hangzhou', additionalHeaders: ['host'] };
  const origin = 'http://127.0.0.1';
  switch (scheme) {
    case 'v1-header':
      return { ...base, headers: lower(signRequestV1Header(input).headers) };
    case 'v4-header':
      return { ...base, headers: lower(signRequestV4Header(v4).headers) };
    case 'v1-presigned':
      return {
        ...base,
        query: presignUrlV1({ ...input, origin, expiresUnixSeconds: nowMs / 1000 + 60 }).query,
      };
    case 'v4-presigned':
      return { ...base, query: presignUrlV4({ ...v4, origin, expiresSeconds: 600 }).query };
  }
}

/** Headers every scheme signs (§6.1, §7.2), plus `host`, which the V4 requests name in AdditionalHeaders. */
function signedHeaderNames(scheme: Scheme, request: SignedRequest): string[] {
  return Object.keys(request.headers).filter(
    (n) =>
      n !== 'authorization' &&
      (n === 'content-type' ||
        n === 'content-md5' ||
        n.startsWith('x-oss-') ||
        (scheme.startsWith('v4') && n === 'host')),
  );
}

/** V4 signs every parameter (a presigned URL all but its signature); V1 only the sub-resources (§6.1). */
const v1Signed = new Set([
  'uploadId',
  'partNumber',
  'acl',
  'x-oss-process',
  'security-token',
  'Expires',
  'OSSAccessKeyId',
]);

function signedQueryNames(scheme: Scheme, request: SignedRequest): string[] {
  const names = request.query.map(([n]) => n);
  if (scheme === 'v4-header') return names;
  if (scheme === 'v4-presigned') return names.filter((n) => n !== 'x-oss-signature');
  return names.filter((n) => v1Signed.has(n) || n.startsWith('x-oss-'));
}

const mutationKinds = [
  'method',
  'bucket',
  'key',
  'header-change',
  'header-remove',
  'header-add',
  'query-change',
  'query-remove',
  'query-add',
  'signature',
  'access-key',
] as const;
type MutationKind = (typeof mutationKinds)[number];
const mutation = fc.record({ kind: fc.constantFrom(...mutationKinds), pick: fc.nat(), text: wellFormed });
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
/** A changed request, or undefined when this mutation does not apply (or would change nothing). */
type Mutator = (scheme: Scheme, request: SignedRequest, m: Mutation) => SignedRequest | undefined;

const pickOf = <T>(items: readonly T[], pick: number): T | undefined =>
  items[pick % Math.max(items.length, 1)];

function setQueryValue(
  request: SignedRequest,
  name: string,
  change: (value: string) => string,
): SignedRequest {
  return { ...request, query: request.query.map(([n, v]) => [n, n === name ? change(v) : v] as const) };
}

function setAuthorization(request: SignedRequest, change: (value: string) => string): SignedRequest {
  return {
    ...request,
    headers: { ...request.headers, authorization: change(String(request.headers['authorization'])) },
  };
}

/** Replaces one character (or more, when `text` starts with the same one) so the text always changes. */
function editAt(value: string, pick: number, text: string): string {
  const i = pick % value.length;
  return value.slice(0, i) + (text.charAt(0) === value.charAt(i) ? `${text}x` : text) + value.slice(i + 1);
}

const swapKeyId = (id: string): string => (id === 'ak' ? 'STS.tmp' : 'ak');

const mutators: Record<MutationKind, Mutator> = {
  method: (_s, r, m) => ({
    ...r,
    method: pickOf(
      ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].filter((x) => x !== r.method),
      m.pick,
    )!,
  }),
  bucket: (_s, r, m) => (m.text === r.bucket ? undefined : { ...r, bucket: m.text }),
  key: (_s, r, m) => (m.text === r.key ? undefined : { ...r, key: m.text }),
  'header-change': (s, r, m) => {
    const name = pickOf(signedHeaderNames(s, r), m.pick);
    // Signed header values are trimmed (§6.1, §7.2): only a change that survives trimming counts.
    if (name === undefined || String(r.headers[name]).trim() === m.text.trim()) return undefined;
    return { ...r, headers: { ...r.headers, [name]: m.text } };
  },
  'header-remove': (s, r, m) => {
    const name = pickOf(signedHeaderNames(s, r), m.pick);
    return name === undefined
      ? undefined
      : { ...r, headers: Object.fromEntries(Object.entries(r.headers).filter(([n]) => n !== name)) };
  },
  'header-add': (_s, r, m) => {
    const name = pickOf(['x-oss-meta-new', 'x-oss-added', 'content-md5', 'content-type'], m.pick)!;
    return name in r.headers || m.text.trim() === ''
      ? undefined
      : { ...r, headers: { ...r.headers, [name]: m.text } };
  },
  'query-change': (s, r, m) => {
    const name = pickOf(signedQueryNames(s, r), m.pick);
    if (name === undefined || r.query.find(([n]) => n === name)?.[1] === m.text) return undefined;
    return setQueryValue(r, name, () => m.text);
  },
  'query-remove': (s, r, m) => {
    const name = pickOf(signedQueryNames(s, r), m.pick);
    return name === undefined ? undefined : { ...r, query: r.query.filter(([n]) => n !== name) };
  },
  'query-add': (s, r, m) => {
    const name = s.startsWith('v1') ? pickOf(['acl', 'uploadId', 'x-oss-added'], m.pick)! : m.text;
    return r.query.some(([n]) => n === name) ? undefined : { ...r, query: [...r.query, [name, m.text]] };
  },
  signature: (s, r, m) => {
    if (s === 'v1-header')
      return setAuthorization(r, (a) =>
        a.replace(/:(.+)$/, (_, sig: string) => `:${editAt(sig, m.pick, m.text)}`),
      );
    if (s === 'v4-header')
      return setAuthorization(r, (a) =>
        a.replace(/Signature=(.+)$/, (_, sig: string) => `Signature=${editAt(sig, m.pick, m.text)}`),
      );
    return setQueryValue(r, s === 'v1-presigned' ? 'Signature' : 'x-oss-signature', (sig) =>
      editAt(sig, m.pick, m.text),
    );
  },
  // The other configured key signed nothing here: swapping the id must fail (InvalidAccessKeyId or mismatch).
  'access-key': (s, r) => {
    if (s.endsWith('header')) {
      const swapped = setAuthorization(r, (a) =>
        a.replace(/(OSS |Credential=)(STS\.tmp|ak)\b/, (_, p: string, id: string) => p + swapKeyId(id)),
      );
      return { ...swapped, headers: { ...swapped.headers, 'x-oss-security-token': 'token-1' } };
    }
    if (s === 'v1-presigned') return setQueryValue(r, 'OSSAccessKeyId', swapKeyId);
    return setQueryValue(r, 'x-oss-credential', (c) =>
      c.replace(/^(STS\.tmp|ak)\//, (id) => `${swapKeyId(id.slice(0, -1))}/`),
    );
  },
};

describe('a signed request stops verifying when one signed component changes (threats §B1, §C1.1)', () => {
  for (const scheme of ['v1-header', 'v1-presigned', 'v4-header', 'v4-presigned'] as const) {
    it(`${scheme}: verifies as signed, and fails after any single mutation`, () => {
      const applied = new Map<MutationKind, number>();
      fc.assert(
        fc.property(parts, mutation, (p, m) => {
          const request = signRequest(scheme, p);
          assert.equal(verifies(request), true, `${scheme} as signed`);
          const changed = mutators[m.kind](scheme, request, m);
          fc.pre(changed !== undefined);
          applied.set(m.kind, (applied.get(m.kind) ?? 0) + 1);
          assert.equal(verifies(changed), false, `${m.kind} still verified: ${JSON.stringify(changed)}`);
        }),
        { ...runs(400), maxSkipsPerRun: 100 },
      );
      for (const kind of mutationKinds)
        assert.ok((applied.get(kind) ?? 0) > 0, `mutation ${kind} was never applied`);
    });
  }
});
