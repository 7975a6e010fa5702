// V1 signing for clients and tests: Authorization header (§6.1) and presigned URL (§6.2), producing what
// ali-oss (header: x-oss-date in RFC 1123) and the Go SDK (URL layout) produce.
import { OssError } from '../errors/index.js';
import type { HeaderInput, QueryInput } from './request-parts.js';
import { formatRfc1123Date } from './request-time.js';
import {
  buildPresignedUrl,
  replaceHeaders,
  withoutParams,
  type PresignTarget,
  type SentHeaders,
  type SigningCredentials,
} from './signing-output.js';
import { buildStringToSignV1, signV1 } from './string-to-sign-v1.js';

interface RequestToSign {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  /** Decoded query parameters that will be sent (only sub-resources end up signed). */
  query?: QueryInput | undefined;
  headers?: HeaderInput | undefined;
}

export interface SignRequestV1HeaderInput extends RequestToSign, SigningCredentials {
  nowMs: number;
}

export interface SignedRequestV1Header {
  /** The caller's headers plus x-oss-date, x-oss-security-token (STS) and authorization. */
  headers: SentHeaders;
  stringToSign: string;
  signature: string;
}

/** Sets x-oss-date (browsers cannot set Date, §6.1) and signs: `Authorization: OSS <AK>:<signature>`. */
export function signRequestV1Header(input: SignRequestV1HeaderInput): SignedRequestV1Header {
  const authHeaders: Record<string, string> = { 'x-oss-date': formatRfc1123Date(input.nowMs) };
  if (input.securityToken !== undefined) authHeaders['x-oss-security-token'] = input.securityToken;
  const headers = replaceHeaders(input.headers, authHeaders);
  const stringToSign = buildStringToSignV1({ ...input, headers });
  const signature = signV1(stringToSign, input.secret);
  return {
    headers: { ...headers, authorization: `OSS ${input.accessKeyId}:${signature}` },
    stringToSign,
    signature,
  };
}

export interface PresignUrlV1Input extends RequestToSign, SigningCredentials, PresignTarget {
  /** Absolute expiry, Unix seconds (§6.2). */
  expiresUnixSeconds: number;
}

export interface PresignedUrlResult {
  url: string;
  /** Every query parameter of the URL, decoded, auth parameters included. */
  query: Array<[string, string]>;
  stringToSign: string;
  signature: string;
}

const v1OwnedParams = ['OSSAccessKeyId', 'Expires', 'Signature', 'security-token'];

/**
 * The request must later send the same Content-Type / Content-MD5 / x-oss-* headers given here (they are
 * signed, §6.2). `security-token` is a sub-resource, so it is added before signing.
 */
export function presignUrlV1(input: PresignUrlV1Input): PresignedUrlResult {
  if (!Number.isSafeInteger(input.expiresUnixSeconds) || input.expiresUnixSeconds < 0) {
    throw new OssError('InvalidArgument', { message: 'Expires must be a non-negative integer.' });
  }
  const expires = String(input.expiresUnixSeconds);
  const query = withoutParams(input.query, v1OwnedParams);
  if (input.securityToken !== undefined) query.push(['security-token', input.securityToken]);
  const stringToSign = buildStringToSignV1({ ...input, query, dateOrExpires: expires });
  const signature = signV1(stringToSign, input.secret);
  query.push(['Expires', expires], ['OSSAccessKeyId', input.accessKeyId], ['Signature', signature]);
  return { url: buildPresignedUrl(input, input.bucket, input.key, query), query, stringToSign, signature };
}
