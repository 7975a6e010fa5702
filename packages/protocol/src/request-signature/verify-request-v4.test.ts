// Hostile inputs for V4 header and presigned auth (threats C1 applied to §7).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptsAs,
  deps,
  nowMs,
  offByOne,
  rejectsWith,
  replaceSignatureV4Header,
  setHeader,
  setQuery,
  v4HeaderRequest,
  v4PresignedRequest,
} from './request-signature-test-helpers.js';

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
