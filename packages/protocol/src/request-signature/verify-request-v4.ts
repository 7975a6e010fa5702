// V4 verification: Authorization header (§7.1, §7.2) and presigned URL (§7.3).
import type { V4Credential } from '../post-signature/v4-credential.js';
import {
  buildInvalidArgumentError,
  buildMissingDateError,
  buildRequestExpiredError,
  buildSignatureMismatchError,
  buildRequestTimeTooSkewedError,
  checkRequestTimeSkew,
  maxRequestSkewMs,
} from './auth-errors.js';
import { buildCanonicalRequestCandidatesV4, unsignedPayload } from './canonical-request-v4.js';
import { checkSignatureEqual } from './compare-signature.js';
import type { PresignedV4 } from './detect-presigned.js';
import { lookupAccessKey } from './lookup-access-key.js';
import { normalizeHeaders, readFirstHeader, readFirstQuery, readJoinedHeader } from './request-parts.js';
import { parseIsoBasicDateTime } from './request-time.js';
import { buildStringToSignV4, signAllV4 } from './string-to-sign-v4.js';
import type { SignedRequest, VerifyRequestDeps, VerifyRequestResult } from './verify-types.js';

/** D9: x-oss-content-sha256 other than UNSIGNED-PAYLOAD. */
export const unsupportedContentSha256Ec = '0002-00000214';
/** D9: x-oss-date not in `YYYYMMDDTHHMMSSZ` (documented for hyphenated dates; applied to any bad shape). */
export const invalidV4DateEc = '0002-00000223';

interface V4Auth extends V4Credential {
  additionalHeaders: readonly string[];
  signature: string;
}

function parseDateTimeOrThrow(dateTime: string): number {
  const ms = parseIsoBasicDateTime(dateTime);
  if (ms === undefined) {
    throw buildInvalidArgumentError('x-oss-date', dateTime, 'Invalid x-oss-date.', invalidV4DateEc);
  }
  return ms;
}

/** The server never hashes the payload, so it must not accept a client that believes it signed one. */
function checkUnsignedPayload(value: string | undefined): void {
  if (value !== unsignedPayload) {
    const message = 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD.';
    throw buildInvalidArgumentError('x-oss-content-sha256', value ?? '', message, unsupportedContentSha256Ec);
  }
}

/**
 * Scope date = x-oss-date's day (D2); region one this server answers for, if configured. (Product `oss`
 * and the terminator are enforced by parseV4Credential.)
 */
function checkScope(auth: V4Credential, dateTime: string, deps: VerifyRequestDeps, argName: string): void {
  const credential = `${auth.accessKeyId}/${auth.date}/${auth.region}/${auth.product}`;
  if (auth.date !== dateTime.slice(0, 8)) {
    throw buildInvalidArgumentError(
      argName,
      credential,
      'Invalid credential date. Date is not the same as x-oss-date.',
    );
  }
  if (deps.regions !== undefined && !deps.regions.includes(auth.region)) {
    throw buildInvalidArgumentError(argName, credential, `Invalid credential region '${auth.region}'.`);
  }
}

interface SigningFacts {
  secret: string;
  dateTime: string;
  presigned: boolean;
}

/**
 * Accepts the request when its signature matches any candidate canonical request (§7.2, or one of the
 * ali-oss forms: docs/protocol-decisions.md "Request signatures"). Every candidate is compared, in
 * constant time, without stopping at a match; a mismatch reports the §7.2 string to sign.
 */
function compareOrThrow(request: SignedRequest, auth: V4Auth, facts: SigningFacts): void {
  const { secret, dateTime, presigned } = facts;
  const { region, product } = auth;
  const stringsToSign = buildCanonicalRequestCandidatesV4({
    ...request,
    additionalHeaders: auth.additionalHeaders,
    presigned,
  }).map((canonicalRequest) => buildStringToSignV4({ dateTime, region, product, canonicalRequest }));
  let matched = false;
  for (const expected of signAllV4(stringsToSign, secret, auth)) {
    matched = checkSignatureEqual(auth.signature, expected) || matched;
  }
  if (!matched) {
    throw buildSignatureMismatchError(auth.accessKeyId, auth.signature, stringsToSign[0] ?? '');
  }
}

export function verifyRequestV4Header(
  request: SignedRequest,
  auth: V4Auth,
  deps: VerifyRequestDeps,
): VerifyRequestResult {
  const headers = normalizeHeaders(request.headers);
  const dateTime = readFirstHeader(headers, 'x-oss-date');
  if (dateTime === undefined) throw buildMissingDateError();
  const skewed = checkRequestTimeSkew(parseDateTimeOrThrow(dateTime), deps.nowMs);
  if (skewed !== undefined) throw skewed;
  checkUnsignedPayload(readJoinedHeader(headers, 'x-oss-content-sha256'));
  checkScope(auth, dateTime, deps, 'Authorization');
  const key = lookupAccessKey(deps, auth.accessKeyId, readFirstHeader(headers, 'x-oss-security-token'));
  compareOrThrow(request, auth, { secret: key.secret, dateTime, presigned: false });
  return { ok: true, accessKeyId: auth.accessKeyId, scheme: 'v4-header' };
}

/**
 * Valid while now ≤ x-oss-date + x-oss-expires (§7.3, INFERRED inclusive). An x-oss-date more than
 * 15 min in the future is RequestTimeTooSkewed (INFERRED: otherwise a URL could be minted to start later).
 */
export function verifyRequestV4Presigned(
  request: SignedRequest,
  auth: PresignedV4,
  deps: VerifyRequestDeps,
): VerifyRequestResult {
  const signedAtMs = parseDateTimeOrThrow(auth.dateTime);
  if (signedAtMs - deps.nowMs > maxRequestSkewMs) {
    throw buildRequestTimeTooSkewedError(signedAtMs, deps.nowMs);
  }
  const expiresMs = signedAtMs + auth.expiresSeconds * 1000;
  if (deps.nowMs > expiresMs) throw buildRequestExpiredError(expiresMs, deps.nowMs);
  const headers = normalizeHeaders(request.headers);
  const sha256 = readJoinedHeader(headers, 'x-oss-content-sha256');
  if (sha256 !== undefined) checkUnsignedPayload(sha256);
  checkScope(auth, auth.dateTime, deps, 'x-oss-credential');
  const token =
    readFirstQuery(request.query, 'x-oss-security-token') ?? readFirstHeader(headers, 'x-oss-security-token');
  const key = lookupAccessKey(deps, auth.accessKeyId, token);
  compareOrThrow(request, auth, { secret: key.secret, dateTime: auth.dateTime, presigned: true });
  return { ok: true, accessKeyId: auth.accessKeyId, scheme: 'v4-presigned' };
}
