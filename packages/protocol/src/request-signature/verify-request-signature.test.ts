// Hostile inputs for header / presigned auth (threats C1 applied to §6 and §7). Valid requests come from
// the signing helpers (themselves pinned to the SDK vectors); each test then breaks one thing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OssErrorCode } from '../errors/index.js';
import { presignUrlV1, signRequestV1Header } from './sign-request-v1.js';
import { presignUrlV4, signRequestV4Header } from './sign-request-v4.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { AccessKeyRecord, SignedRequest, VerifyRequestDeps } from './verify-types.js';

const nowMs = Date.UTC(2024, 4, 1, 12, 0, 0);
const keys: Record<string, AccessKeyRecord> = {
  ak: { secret: 'sk' },
  'STS.tmp': { secret: 'sts-secret', securityToken: 'token-1' },
};
const deps = (overrides: Partial<VerifyRequestDeps> = {}): VerifyRequestDeps => ({
  lookupSecret: (ak) => keys[ak],
  nowMs,
  ...overrides,
});
const target = { method: 'PUT', bucket: 'bucket', key: 'dir/a+b.txt' };
const userHeaders = { 'content-type': 'text/plain', 'x-oss-meta-owner': 'alice', host: 'bucket.example' };

type Headers = Record<string, string | readonly string[]>;

function lowerCased(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function v1HeaderRequest(options: { at?: number; ak?: string; token?: string } = {}): SignedRequest {
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

function v4HeaderRequest(
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

function v1PresignedRequest(expiresUnixSeconds = nowMs / 1000 + 60): SignedRequest {
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

function v4PresignedRequest(options: { at?: number; expiresSeconds?: number } = {}): SignedRequest {
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

function rejectsWith(request: SignedRequest, code: OssErrorCode, d: VerifyRequestDeps = deps()) {
  const verdict = verifyRequestSignature(request, d);
  assert.equal(verdict.ok, false, `expected ${code}`);
  if (verdict.ok) throw new Error('unreachable');
  assert.equal(verdict.error.code, code, verdict.error.message);
  return verdict.error;
}

function acceptsAs(request: SignedRequest, scheme: string, d: VerifyRequestDeps = deps()): void {
  const verdict = verifyRequestSignature(request, d);
  assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.error.code}: ${verdict.error.message}`);
  assert.equal(verdict.scheme, scheme);
}

function setHeader(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const headers = { ...request.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...request, headers };
}

function setQuery(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const query = request.query.filter(([n]) => n !== name);
  return { ...request, query: value === undefined ? query : [...query, [name, value]] };
}

function replaceSignatureV1Header(request: SignedRequest, change: (sig: string) => string): SignedRequest {
  const auth = String(request.headers['authorization']);
  const [prefix, sig] = auth.split(':') as [string, string];
  return setHeader(request, 'authorization', `${prefix}:${change(sig)}`);
}

function replaceSignatureV4Header(request: SignedRequest, change: (sig: string) => string): SignedRequest {
  const auth = String(request.headers['authorization']);
  return setHeader(
    request,
    'authorization',
    auth.replace(/Signature=([0-9a-f]+)/, (_, sig: string) => `Signature=${change(sig)}`),
  );
}

const offByOne = (sig: string): string => sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.slice(-1);

describe('verifyRequestSignature: V1 Authorization header', () => {
  it('accepts a correctly signed request and ignores non-sub-resource query parameters', () => {
    acceptsAs(v1HeaderRequest(), 'v1-header');
    acceptsAs(setQuery(v1HeaderRequest(), 'prefix', 'changed'), 'v1-header');
  });

  it('rejects a signature off by one character with SignatureDoesNotMatch and the §10.1 extras in order', () => {
    const request = replaceSignatureV1Header(v1HeaderRequest(), offByOne);
    const error = rejectsWith(request, 'SignatureDoesNotMatch');
    assert.equal(error.status, 403);
    assert.equal(error.ec, '0002-00000040');
    assert.deepEqual(
      error.extra.map(([name]) => name),
      ['OSSAccessKeyId', 'SignatureProvided', 'StringToSign', 'StringToSignBytes'],
    );
    const extra = Object.fromEntries(error.extra);
    assert.equal(extra['OSSAccessKeyId'], 'ak');
    assert.equal(extra['SignatureProvided'], String(request.headers['authorization']).split(':')[1]);
    assert.match(
      extra['StringToSign'] ?? '',
      /^PUT\n\ntext\/plain\n.+\n\/bucket\/dir\/a\+b\.txt\?partNumber=2&uploadId=u1$/s,
    );
    assert.equal(extra['StringToSignBytes']?.slice(0, 12), '50 55 54 0A ');
    assert.equal(
      extra['StringToSignBytes'],
      Buffer.from(extra['StringToSign'] ?? '')
        .toString('hex')
        .toUpperCase()
        .match(/../g)
        ?.join(' '),
    );
  });

  it('rejects signatures of the wrong length, not base64, or re-padded with SignatureDoesNotMatch, never throwing', () => {
    for (const change of [
      (sig: string) => sig.slice(0, -1),
      (sig: string) => `${sig}A`,
      (sig: string) => sig.replace('=', ''),
      (sig: string) => '!'.repeat(sig.length),
      (sig: string) => `${sig}${'A'.repeat(1000)}`,
    ]) {
      rejectsWith(replaceSignatureV1Header(v1HeaderRequest(), change), 'SignatureDoesNotMatch');
    }
  });

  it('rejects a change to a signed header or sub-resource with SignatureDoesNotMatch', () => {
    rejectsWith(setHeader(v1HeaderRequest(), 'x-oss-meta-owner', 'mallory'), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(v1HeaderRequest(), 'x-oss-forbid-overwrite', 'false'), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(v1HeaderRequest(), 'content-type', 'text/html'), 'SignatureDoesNotMatch');
    rejectsWith(setQuery(v1HeaderRequest(), 'uploadId', 'u2'), 'SignatureDoesNotMatch');
    rejectsWith({ ...v1HeaderRequest(), key: 'dir/other.txt' }, 'SignatureDoesNotMatch');
    rejectsWith({ ...v1HeaderRequest(), method: 'DELETE' }, 'SignatureDoesNotMatch');
  });

  it('rejects an unknown access key id with InvalidAccessKeyId', () => {
    const error = rejectsWith(v1HeaderRequest({ ak: 'nobody' }), 'InvalidAccessKeyId');
    assert.equal(error.status, 403);
  });

  it('accepts exactly 15 minutes of skew either way and rejects one second more with RequestTimeTooSkewed', () => {
    acceptsAs(v1HeaderRequest({ at: nowMs - 900_000 }), 'v1-header');
    acceptsAs(v1HeaderRequest({ at: nowMs + 900_000 }), 'v1-header');
    rejectsWith(v1HeaderRequest({ at: nowMs + 901_000 }), 'RequestTimeTooSkewed');
    const error = rejectsWith(v1HeaderRequest({ at: nowMs - 3_600_000 }), 'RequestTimeTooSkewed');
    assert.equal(error.status, 403);
    assert.equal(error.ec, '0002-00000504');
    assert.deepEqual(error.extra, [
      ['MaxAllowedSkewMilliseconds', '900000'],
      ['RequestTime', '2024-05-01T11:00:00.000Z'],
      ['ServerTime', '2024-05-01T12:00:00.000Z'],
    ]);
  });

  it('rejects a missing or non-RFC-1123 date with AccessDenied (EC 0002-00000503)', () => {
    const error = rejectsWith(setHeader(v1HeaderRequest(), 'x-oss-date', undefined), 'AccessDenied');
    assert.equal(error.ec, '0002-00000503');
    rejectsWith(setHeader(v1HeaderRequest(), 'x-oss-date', '20240501T120000Z'), 'AccessDenied');
  });

  it('requires the exact STS token for an STS key (InvalidAccessKeyId otherwise)', () => {
    acceptsAs(v1HeaderRequest({ ak: 'STS.tmp', token: 'token-1' }), 'v1-header');
    rejectsWith(v1HeaderRequest({ ak: 'STS.tmp' }), 'InvalidAccessKeyId');
    rejectsWith(v1HeaderRequest({ ak: 'STS.tmp', token: 'token-2' }), 'InvalidAccessKeyId');
  });
});

describe('verifyRequestSignature: V1 presigned URL', () => {
  it('accepts until the Expires second inclusive and then answers AccessDenied "Request has expired."', () => {
    const request = v1PresignedRequest(nowMs / 1000);
    acceptsAs(request, 'v1-presigned');
    const error = rejectsWith(request, 'AccessDenied', deps({ nowMs: nowMs + 1 }));
    assert.equal(error.message, 'Request has expired.');
    assert.deepEqual(error.extra, [
      ['Expires', '2024-05-01T12:00:00.000Z'],
      ['ServerTime', '2024-05-01T12:00:00.000Z'],
    ]);
  });

  it('checks expiry before the signature (D12)', () => {
    const request = setQuery(v1PresignedRequest(nowMs / 1000 - 1), 'Signature', 'wrong');
    assert.equal(rejectsWith(request, 'AccessDenied').message, 'Request has expired.');
  });

  it('rejects a signature off by one, a changed Content-Type or Expires with SignatureDoesNotMatch', () => {
    const request = v1PresignedRequest();
    const sig = request.query.find(([n]) => n === 'Signature')?.[1] ?? '';
    rejectsWith(setQuery(request, 'Signature', offByOne(sig)), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(request, 'content-type', 'text/html'), 'SignatureDoesNotMatch');
    rejectsWith(setQuery(request, 'Expires', String(nowMs / 1000 + 3600)), 'SignatureDoesNotMatch');
  });

  it('answers AccessDenied when one of OSSAccessKeyId / Expires / Signature is missing', () => {
    for (const name of ['OSSAccessKeyId', 'Expires', 'Signature']) {
      rejectsWith(setQuery(v1PresignedRequest(), name, undefined), 'AccessDenied');
    }
  });

  it('rejects an unknown access key id with InvalidAccessKeyId', () => {
    rejectsWith(setQuery(v1PresignedRequest(), 'OSSAccessKeyId', 'nobody'), 'InvalidAccessKeyId');
  });
});

describe('verifyRequestSignature: V4 Authorization header', () => {
  it('accepts a correctly signed request, additional header included', () => {
    acceptsAs(v4HeaderRequest(), 'v4-header');
    acceptsAs(v4HeaderRequest(), 'v4-header', deps({ regions: ['cn-hangzhou'] }));
  });

  it('rejects a signature off by one, of the wrong length, in upper case or not hex with SignatureDoesNotMatch', () => {
    for (const change of [
      (sig: string) => sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'),
      (sig: string) => sig.slice(0, -1),
      (sig: string) => `${sig}00`,
      (sig: string) => sig.toUpperCase(),
      (sig: string) => 'z'.repeat(sig.length),
    ]) {
      rejectsWith(replaceSignatureV4Header(v4HeaderRequest(), change), 'SignatureDoesNotMatch');
    }
  });

  it('rejects a change to any signed part: query, x-oss header, additional header, path', () => {
    rejectsWith(setQuery(v4HeaderRequest(), 'max-keys', '5'), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(v4HeaderRequest(), 'x-oss-meta-owner', 'mallory'), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(v4HeaderRequest(), 'host', 'evil.example'), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(v4HeaderRequest(), 'host', undefined), 'SignatureDoesNotMatch');
    rejectsWith({ ...v4HeaderRequest(), bucket: 'other' }, 'SignatureDoesNotMatch');
  });

  it('requires x-oss-content-sha256: UNSIGNED-PAYLOAD (InvalidArgument EC 0002-00000214)', () => {
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    for (const value of [undefined, hash, 'unsigned-payload']) {
      const error = rejectsWith(
        setHeader(v4HeaderRequest(), 'x-oss-content-sha256', value),
        'InvalidArgument',
      );
      assert.equal(error.ec, '0002-00000214');
    }
  });

  it('rejects a missing x-oss-date (AccessDenied 0002-00000503) and a hyphenated one (InvalidArgument 0002-00000223)', () => {
    assert.equal(
      rejectsWith(setHeader(v4HeaderRequest(), 'x-oss-date', undefined), 'AccessDenied').ec,
      '0002-00000503',
    );
    const hyphenated = setHeader(v4HeaderRequest(), 'x-oss-date', '2024-05-01T12:00:00Z');
    assert.equal(rejectsWith(hyphenated, 'InvalidArgument').ec, '0002-00000223');
  });

  it('rejects an x-oss-date more than 15 minutes away with RequestTimeTooSkewed', () => {
    acceptsAs(v4HeaderRequest({ at: nowMs - 900_000 }), 'v4-header');
    rejectsWith(v4HeaderRequest({ at: nowMs - 901_000 }), 'RequestTimeTooSkewed');
    rejectsWith(v4HeaderRequest({ at: nowMs + 901_000 }), 'RequestTimeTooSkewed');
  });

  it('rejects a credential with the wrong date, product, terminator or (when configured) region', () => {
    const request = v4HeaderRequest();
    const withCredential = (from: string, to: string) =>
      setHeader(request, 'authorization', String(request.headers['authorization']).replace(from, to));
    rejectsWith(withCredential('/20240501/', '/20240430/'), 'InvalidArgument');
    assert.equal(rejectsWith(withCredential('/oss/', '/s3/'), 'InvalidArgument').ec, '0002-00000710');
    assert.equal(
      rejectsWith(withCredential('aliyun_v4_request', 'aws4_request'), 'InvalidArgument').ec,
      '0002-00000710',
    );
    rejectsWith(
      v4HeaderRequest({ region: 'cn-beijing' }),
      'InvalidArgument',
      deps({ regions: ['cn-hangzhou'] }),
    );
    // Without a configured region list the region is still bound by the signature:
    acceptsAs(v4HeaderRequest({ region: 'cn-beijing' }), 'v4-header');
    rejectsWith(withCredential('/cn-hangzhou/', '/cn-beijing/'), 'SignatureDoesNotMatch');
  });

  it('rejects an unknown access key id and a missing or wrong STS token with InvalidAccessKeyId', () => {
    rejectsWith(v4HeaderRequest({ ak: 'nobody' }), 'InvalidAccessKeyId');
    acceptsAs(v4HeaderRequest({ ak: 'STS.tmp', token: 'token-1' }), 'v4-header');
    rejectsWith(v4HeaderRequest({ ak: 'STS.tmp' }), 'InvalidAccessKeyId');
    rejectsWith(v4HeaderRequest({ ak: 'STS.tmp', token: 'token-2' }), 'InvalidAccessKeyId');
  });
});

describe('verifyRequestSignature: V4 presigned URL', () => {
  it('accepts until x-oss-date + x-oss-expires inclusive, then answers AccessDenied "Request has expired."', () => {
    const request = v4PresignedRequest({ expiresSeconds: 60 });
    acceptsAs(request, 'v4-presigned', deps({ nowMs: nowMs + 60_000 }));
    const error = rejectsWith(request, 'AccessDenied', deps({ nowMs: nowMs + 60_001 }));
    assert.equal(error.message, 'Request has expired.');
    assert.deepEqual(error.extra[0], ['Expires', '2024-05-01T12:01:00.000Z']);
  });

  it('rejects x-oss-expires 0 and 604801 with InvalidArgument EC 0002-00000232', () => {
    for (const value of ['0', '604801']) {
      const error = rejectsWith(setQuery(v4PresignedRequest(), 'x-oss-expires', value), 'InvalidArgument');
      assert.equal(error.ec, '0002-00000232');
    }
  });

  it('rejects a URL dated more than 15 minutes in the future with RequestTimeTooSkewed', () => {
    rejectsWith(v4PresignedRequest({ at: nowMs + 901_000 }), 'RequestTimeTooSkewed');
  });

  it('rejects a changed signature, extended expiry or changed header with SignatureDoesNotMatch', () => {
    const request = v4PresignedRequest();
    const sig = request.query.find(([n]) => n === 'x-oss-signature')?.[1] ?? '';
    rejectsWith(setQuery(request, 'x-oss-signature', offByOne(sig)), 'SignatureDoesNotMatch');
    rejectsWith(setQuery(request, 'x-oss-expires', '604800'), 'SignatureDoesNotMatch');
    rejectsWith(setHeader(request, 'host', 'evil.example'), 'SignatureDoesNotMatch');
    rejectsWith(setQuery(request, 'x-oss-additional-headers', undefined), 'SignatureDoesNotMatch');
  });

  it('rejects a signed payload hash it cannot check (InvalidArgument EC 0002-00000214)', () => {
    const request = setHeader(v4PresignedRequest(), 'x-oss-content-sha256', 'abc');
    assert.equal(rejectsWith(request, 'InvalidArgument').ec, '0002-00000214');
  });
});

describe('verifyRequestSignature: one mechanism per request', () => {
  it('rejects an Authorization header together with V1 or V4 query auth with InvalidArgument', () => {
    const header = String(v1HeaderRequest().headers['authorization']);
    rejectsWith(setHeader(v1PresignedRequest(), 'authorization', header), 'InvalidArgument');
    rejectsWith(setHeader(v4PresignedRequest(), 'authorization', header), 'InvalidArgument');
    rejectsWith(setQuery(v4HeaderRequest(), 'OSSAccessKeyId', 'ak'), 'InvalidArgument');
  });

  it('rejects two Authorization headers with InvalidArgument', () => {
    const header = String(v1HeaderRequest().headers['authorization']);
    rejectsWith(setHeaderArray(v1HeaderRequest(), 'authorization', [header, header]), 'InvalidArgument');
  });

  it('rejects malformed Authorization values with InvalidArgument instead of treating them as anonymous', () => {
    for (const value of [
      '',
      'OSS',
      'OSS ak',
      'Bearer x',
      'OSS4-HMAC-SHA256 Credential=ak/x',
      'OSS4-HMAC-SHA256',
    ]) {
      rejectsWith(setHeader(v1HeaderRequest(), 'authorization', value), 'InvalidArgument');
    }
  });

  it('does not grant anonymous requests: AccessDenied (the bucket ACL decides upstream)', () => {
    rejectsWith({ ...target, query: [], headers: {} }, 'AccessDenied');
  });

  it('lets a failing key store propagate instead of turning it into a verdict', () => {
    const failing = deps({
      lookupSecret: () => {
        throw new Error('db down');
      },
    });
    assert.throws(() => verifyRequestSignature(v1HeaderRequest(), failing), /db down/);
  });
});

function setHeaderArray(request: SignedRequest, name: string, values: string[]): SignedRequest {
  return { ...request, headers: { ...request.headers, [name]: values } };
}
