// V1 verification: Authorization header (§6.1) and presigned URL (§6.2).
import {
  buildMissingDateError,
  buildRequestExpiredError,
  buildSignatureMismatchError,
  checkRequestTimeSkew,
} from './auth-errors.js';
import { checkSignatureEqual } from './compare-signature.js';
import type { PresignedV1 } from './detect-presigned.js';
import { lookupAccessKey } from './lookup-access-key.js';
import type { AuthorizationV1 } from './parse-authorization-header.js';
import { normalizeHeaders, readFirstHeader, readFirstQuery } from './request-parts.js';
import { parseRfc1123Date } from './request-time.js';
import { buildStringToSignV1, signV1 } from './string-to-sign-v1.js';
import type { SignedRequest, VerifyRequestDeps, VerifyRequestResult } from './verify-types.js';

function compareOrThrow(accessKeyId: string, provided: string, secret: string, stringToSign: string): void {
  if (!checkSignatureEqual(provided, signV1(stringToSign, secret))) {
    throw buildSignatureMismatchError(accessKeyId, provided, stringToSign);
  }
}

/** Order: date present and parseable, skew ≤ 15 min, access key, signature. */
export function verifyRequestV1Header(
  request: SignedRequest,
  auth: AuthorizationV1,
  deps: VerifyRequestDeps,
): VerifyRequestResult {
  const headers = normalizeHeaders(request.headers);
  // The same value fills the signed date line (§6.1: x-oss-date wins over Date).
  const dateText = readFirstHeader(headers, 'x-oss-date') ?? readFirstHeader(headers, 'date');
  const requestTimeMs = dateText === undefined ? undefined : parseRfc1123Date(dateText);
  if (requestTimeMs === undefined) throw buildMissingDateError();
  const skewed = checkRequestTimeSkew(requestTimeMs, deps.nowMs);
  if (skewed !== undefined) throw skewed;
  const key = lookupAccessKey(deps, auth.accessKeyId, readFirstHeader(headers, 'x-oss-security-token'));
  const stringToSign = buildStringToSignV1(request);
  compareOrThrow(auth.accessKeyId, auth.signature, key.secret, stringToSign);
  return { ok: true, accessKeyId: auth.accessKeyId, scheme: 'v1-header' };
}

/** D12: expiry is checked before the signature. Valid while now ≤ Expires (INFERRED: inclusive). */
export function verifyRequestV1Presigned(
  request: SignedRequest,
  auth: PresignedV1,
  deps: VerifyRequestDeps,
): VerifyRequestResult {
  const expiresMs = auth.expiresUnixSeconds * 1000;
  if (deps.nowMs > expiresMs) throw buildRequestExpiredError(expiresMs, deps.nowMs);
  const headers = normalizeHeaders(request.headers);
  const token =
    readFirstQuery(request.query, 'security-token') ?? readFirstHeader(headers, 'x-oss-security-token');
  const key = lookupAccessKey(deps, auth.accessKeyId, token);
  const stringToSign = buildStringToSignV1({ ...request, dateOrExpires: auth.expires });
  compareOrThrow(auth.accessKeyId, auth.signature, key.secret, stringToSign);
  return { ok: true, accessKeyId: auth.accessKeyId, scheme: 'v1-presigned' };
}
