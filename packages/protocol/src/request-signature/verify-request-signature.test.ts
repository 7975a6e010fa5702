// One mechanism per request, anonymous requests and key-store failures (architecture §3, D12).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  deps,
  rejectsWith,
  setHeader,
  setHeaderArray,
  setQuery,
  target,
  v1HeaderRequest,
  v1PresignedRequest,
  v4HeaderRequest,
  v4PresignedRequest,
} from './request-signature-test-helpers.js';
import { verifyRequestSignature } from './verify-request-signature.js';

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
