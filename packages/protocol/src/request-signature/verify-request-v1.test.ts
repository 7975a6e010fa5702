// Hostile inputs for V1 header and presigned auth (threats C1 applied to §6.1, §6.2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptsAs,
  deps,
  nowMs,
  offByOne,
  rejectsWith,
  replaceSignatureV1Header,
  setHeader,
  setQuery,
  v1HeaderRequest,
  v1PresignedRequest,
} from './request-signature-test-helpers.js';

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
