// Assembling what a signing client sends: headers with the auth headers set, and presigned URLs.
import { compareByteOrder } from './canonical-resource-v1.js';
import { normalizeQuery, type HeaderInput, type QueryInput } from './request-parts.js';
import { encodeRfc3986, encodeRfc3986Path } from './rfc3986-encode.js';

export interface SigningCredentials {
  accessKeyId: string;
  secret: string;
  /** STS token: sent as x-oss-security-token (headers, V4 URLs) or security-token (V1 URLs). */
  securityToken?: string | undefined;
}

/** Where a presigned URL points. */
export interface PresignTarget {
  /** Scheme and host, e.g. `http://bucket.oss-cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:9000`. */
  origin: string;
  /** Put the bucket in the path (`/<bucket>/<key>`) instead of the host. */
  pathStyle?: boolean | undefined;
}

export type SentHeaders = Record<string, string | readonly string[]>;

/** Copies `headers`, dropping any spelling of the names in `set`, then adds `set` (lower-case names). */
export function replaceHeaders(
  headers: HeaderInput | undefined,
  set: Readonly<Record<string, string>>,
): SentHeaders {
  const out: SentHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && !(name.toLowerCase() in set)) out[name] = value;
  }
  return { ...out, ...set };
}

/** The caller's query minus the parameters the signer owns (so re-signing never duplicates them). */
export function withoutParams(
  query: QueryInput | undefined,
  owned: readonly string[],
): Array<[string, string]> {
  return normalizeQuery(query)
    .filter(([name]) => !owned.includes(name))
    .map(([name, value]): [string, string] => [name, value]);
}

/**
 * `origin` + `/<bucket>`(path style) + `/<key>` + `?query`. Parameters sorted by name and encoded as the
 * Go SDK's `url.Values.Encode` + `+`→`%20` does, so the URLs match its test vectors byte for byte (§6.2).
 */
export function buildPresignedUrl(
  target: PresignTarget,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyArray<readonly [string, string]>,
): string {
  const bucketPart = target.pathStyle === true && bucket !== undefined ? `/${bucket}` : '';
  const path = `${bucketPart}/${encodeRfc3986Path(key ?? '')}`;
  const search = [...query]
    .sort((a, b) => compareByteOrder(a[0], b[0]))
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join('&');
  return `${target.origin.replace(/\/+$/, '')}${path}${search === '' ? '' : `?${search}`}`;
}
