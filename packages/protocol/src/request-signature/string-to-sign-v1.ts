// StringToSign and signature for V1 header auth and V1 presigned URLs (oss-protocol §6.1, §6.2).
import { createHmac } from 'node:crypto';
import { buildCanonicalResourceV1, compareByteOrder } from './canonical-resource-v1.js';
import {
  normalizeHeaders,
  readFirstHeader,
  readJoinedHeader,
  type HeaderInput,
  type HeaderValues,
  type QueryInput,
} from './request-parts.js';

export interface StringToSignV1Input {
  method: string;
  /** Request headers, any name case. */
  headers?: HeaderInput | undefined;
  bucket?: string | undefined;
  key?: string | undefined;
  query?: QueryInput | undefined;
  /**
   * The date line. Presigned URLs pass the `Expires` value here (§6.2). When omitted, header auth uses
   * `x-oss-date` if present, else `Date` (§6.1: browsers cannot set Date, so ali-oss sends x-oss-date).
   */
  dateOrExpires?: string | undefined;
}

/**
 * CanonicalizedOSSHeaders: every `x-oss-*` header, name lower-cased, each value trimmed, repeated values
 * joined with `,` (Go SDK; §6.1 INFERRED for the server), sorted by name, `name:value\n` each.
 */
export function buildCanonicalizedOssHeadersV1(headers: HeaderValues): string {
  return [...headers.keys()]
    .filter((name) => name.startsWith('x-oss-'))
    .sort(compareByteOrder)
    .map((name) => `${name}:${readJoinedHeader(headers, name) ?? ''}\n`)
    .join('');
}

export function buildStringToSignV1(input: StringToSignV1Input): string {
  const headers = normalizeHeaders(input.headers);
  const dateLine =
    input.dateOrExpires ?? readFirstHeader(headers, 'x-oss-date') ?? readFirstHeader(headers, 'date') ?? '';
  return (
    `${input.method.toUpperCase()}\n` +
    `${readFirstHeader(headers, 'content-md5') ?? ''}\n` +
    `${readFirstHeader(headers, 'content-type') ?? ''}\n` +
    `${dateLine}\n` +
    buildCanonicalizedOssHeadersV1(headers) +
    buildCanonicalResourceV1({ bucket: input.bucket, key: input.key, query: input.query })
  );
}

/** Base64(HMAC-SHA1(secret, UTF-8(stringToSign))) — §6.1. */
export function signV1(stringToSign: string, secret: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}
