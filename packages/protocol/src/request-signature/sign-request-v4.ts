// V4 signing for clients and tests: Authorization header (§7.1) and presigned URL (§7.3), producing what
// the Go SDK v2 and ali-oss produce (Go's layout for URLs; both agree on the header value).
import { OssError } from '../errors/index.js';
import {
  buildCanonicalRequestV4,
  filterAdditionalHeadersV4,
  unsignedPayload,
} from './canonical-request-v4.js';
import { invalidV4ExpiresEc, maxV4ExpiresSeconds } from './detect-presigned.js';
import type { HeaderInput, QueryInput } from './request-parts.js';
import { formatIsoBasicDateTime } from './request-time.js';
import {
  buildPresignedUrl,
  replaceHeaders,
  withoutParams,
  type PresignTarget,
  type SentHeaders,
  type SigningCredentials,
} from './signing-output.js';
import type { PresignedUrlResult } from './sign-request-v1.js';
import { buildScopeV4, buildStringToSignV4, signV4, v4Algorithm, type ScopeV4 } from './string-to-sign-v4.js';

interface RequestToSignV4 extends SigningCredentials {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  query?: QueryInput | undefined;
  headers?: HeaderInput | undefined;
  /** Extra headers to sign; filtered like the SDKs do (§7.2). */
  additionalHeaders?: readonly string[] | undefined;
  /** `cn-hangzhou`; a leading `oss-` is stripped as ali-oss does (§5.2). */
  region: string;
  product?: string | undefined;
  nowMs: number;
}

export type SignRequestV4HeaderInput = RequestToSignV4;

export interface SignedRequestV4Header {
  /** The caller's headers plus x-oss-date, x-oss-content-sha256, x-oss-security-token and authorization. */
  headers: SentHeaders;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

interface SigningScope {
  dateTime: string;
  scope: ScopeV4;
  /** `<AK>/<scope>`, the Credential field / x-oss-credential parameter. */
  credential: string;
}

function buildSigningScope(input: RequestToSignV4): SigningScope {
  const dateTime = formatIsoBasicDateTime(input.nowMs);
  const region = input.region.replace(/^oss-/, '');
  const scope: ScopeV4 = { date: dateTime.slice(0, 8), region, product: input.product ?? 'oss' };
  return { dateTime, scope, credential: `${input.accessKeyId}/${buildScopeV4(scope)}` };
}

interface SigningResult {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

function signCanonical(
  input: RequestToSignV4,
  parts: { headers: HeaderInput; query: QueryInput; presigned: boolean; additional: readonly string[] },
): SigningResult {
  const { dateTime, scope } = buildSigningScope(input);
  const { method, bucket, key } = input;
  const { headers, query, presigned, additional } = parts;
  const canonicalRequest = buildCanonicalRequestV4({
    method,
    bucket,
    key,
    query,
    headers,
    presigned,
    additionalHeaders: additional,
  });
  const stringToSign = buildStringToSignV4({ dateTime, ...scope, canonicalRequest });
  return { canonicalRequest, stringToSign, signature: signV4(stringToSign, input.secret, scope) };
}

export function signRequestV4Header(input: SignRequestV4HeaderInput): SignedRequestV4Header {
  const authHeaders: Record<string, string> = {
    'x-oss-date': formatIsoBasicDateTime(input.nowMs),
    'x-oss-content-sha256': unsignedPayload,
  };
  if (input.securityToken !== undefined) authHeaders['x-oss-security-token'] = input.securityToken;
  const headers = replaceHeaders(input.headers, authHeaders);
  const additional = filterAdditionalHeadersV4(headers, input.additionalHeaders ?? []);
  const query = input.query ?? [];
  const signed = signCanonical(input, { headers, query, presigned: false, additional });
  // Field order and separators exactly as Go / Python v2 / ali-oss emit them (§7.1).
  const additionalField = additional.length > 0 ? `,AdditionalHeaders=${additional.join(';')}` : '';
  const { credential } = buildSigningScope(input);
  const authorization = `${v4Algorithm} Credential=${credential}${additionalField},Signature=${signed.signature}`;
  return { headers: { ...headers, authorization }, ...signed };
}

export interface PresignUrlV4Input extends RequestToSignV4, PresignTarget {
  /** Validity from nowMs, 1…604800 s (D14). */
  expiresSeconds: number;
}

export interface PresignedUrlV4Result extends PresignedUrlResult {
  canonicalRequest: string;
}

const v4OwnedParams = [
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-security-token',
];

function checkExpiresSeconds(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxV4ExpiresSeconds) {
    throw new OssError('InvalidArgument', {
      message: `x-oss-expires must be between 1 and ${maxV4ExpiresSeconds} seconds.`,
      ec: invalidV4ExpiresEc,
    });
  }
}

/** All auth parameters except x-oss-signature are inside the canonical query (§7.3). */
export function presignUrlV4(input: PresignUrlV4Input): PresignedUrlV4Result {
  checkExpiresSeconds(input.expiresSeconds);
  const headers = input.headers ?? {};
  const additional = filterAdditionalHeadersV4(headers, input.additionalHeaders ?? []);
  const query = withoutParams(input.query, v4OwnedParams);
  if (input.securityToken !== undefined) query.push(['x-oss-security-token', input.securityToken]);
  if (additional.length > 0) query.push(['x-oss-additional-headers', additional.join(';')]);
  const { dateTime, credential } = buildSigningScope(input);
  query.push(
    ['x-oss-credential', credential],
    ['x-oss-date', dateTime],
    ['x-oss-expires', String(input.expiresSeconds)],
    ['x-oss-signature-version', v4Algorithm],
  );
  const signed = signCanonical(input, { headers, query, presigned: true, additional });
  query.push(['x-oss-signature', signed.signature]);
  return { url: buildPresignedUrl(input, input.bucket, input.key, query), query, ...signed };
}
