// The V4 canonical request (oss-protocol §7.2), for header auth and presigned URLs alike.
import { buildAliOssCanonicalQueriesV4 } from './canonical-query-ali-oss.js';
import { compareByteOrder } from './canonical-resource-v1.js';
import { encodeRfc3986, encodeRfc3986Path } from './rfc3986-encode.js';
import {
  normalizeHeaders,
  normalizeQuery,
  readJoinedHeader,
  type HeaderInput,
  type HeaderValues,
  type QueryInput,
} from './request-parts.js';

export const unsignedPayload = 'UNSIGNED-PAYLOAD';

export interface CanonicalRequestV4Input {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  /** Decoded query parameters (the URL's, auth parameters included for presigned URLs). */
  query?: QueryInput | undefined;
  headers?: HeaderInput | undefined;
  /** AdditionalHeaders as the client named them; filtered with `filterAdditionalHeadersV4`. */
  additionalHeaders?: readonly string[] | undefined;
  /** Presigned URLs leave `x-oss-signature` out of the canonical query (§7.3). */
  presigned?: boolean | undefined;
}

/** content-type, content-md5 and `x-oss-*` are always signed, so naming them again adds nothing. */
function isDefaultSignedHeaderV4(lowerName: string): boolean {
  return lowerName === 'content-type' || lowerName === 'content-md5' || lowerName.startsWith('x-oss-');
}

/**
 * §7.2 (Go `getCommonAdditionalHeaders`, ali-oss `fixAdditionalHeaders`): lower-case, de-duplicate, drop
 * default-signed names and names absent from the request, sort. `{x-oss-no-exist, ZAbc, x-oss-head1, abc}`
 * and `{ZAbc, abc}` both give `abc;zabc`.
 */
export function filterAdditionalHeadersV4(
  headers: HeaderInput | undefined,
  names: readonly string[],
): string[] {
  return filterPresentAdditionalHeaders(normalizeHeaders(headers), names);
}

function filterPresentAdditionalHeaders(present: HeaderValues, names: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const name of names) {
    const lower = name.trim().toLowerCase();
    if (lower === '' || isDefaultSignedHeaderV4(lower)) continue;
    // Go drops a named header whose value is empty (`header.Get(k) != ""`); so do we.
    const first = present.get(lower)?.[0];
    if (first !== undefined && first !== '') kept.add(lower);
  }
  return [...kept].sort(compareByteOrder);
}

/** `/` + bucket + `/` + key, encoded with `/` kept; `/` alone without a bucket (§7.2 CanonicalURI). */
export function buildCanonicalUriV4(bucket: string | undefined, key: string | undefined): string {
  let path = '/';
  if (bucket !== undefined && bucket !== '') path += `${bucket}/`;
  if (key !== undefined) path += key;
  return encodeRfc3986Path(path);
}

/** The parameters a V4 signature covers: all of them, less `x-oss-signature` on a presigned URL (§7.3). */
export function selectSignedQueryV4(
  query: QueryInput | undefined,
  presigned: boolean,
): Array<readonly [string, string]> {
  return normalizeQuery(query).filter(([name]) => !(presigned && name === 'x-oss-signature'));
}

/**
 * Every query parameter, name and value encoded, sorted by *encoded* name (byte order), `name` alone
 * when the value is empty (§7.2). A repeated name keeps all its occurrences in request order (INFERRED:
 * signing everything sent is the safe reading; SDKs never repeat a name).
 */
export function buildCanonicalQueryV4(query: QueryInput | undefined, presigned: boolean): string {
  return selectSignedQueryV4(query, presigned)
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort((a, b) => compareByteOrder(a[0], b[0]))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .join('&');
}

/** `name:value\n` for the default-signed headers plus the (already filtered) additional ones. */
export function buildCanonicalHeadersV4(headers: HeaderValues, additionalHeaders: readonly string[]): string {
  const additional = new Set(additionalHeaders);
  return [...headers.keys()]
    .filter((name) => isDefaultSignedHeaderV4(name) || additional.has(name))
    .sort(compareByteOrder)
    .map((name) => `${name}:${readJoinedHeader(headers, name) ?? ''}\n`)
    .join('');
}

export function buildCanonicalRequestV4(input: CanonicalRequestV4Input): string {
  const query = buildCanonicalQueryV4(input.query, input.presigned === true);
  return assembleCanonicalRequestsV4(input, [query])[0] ?? '';
}

/**
 * Every canonical request the client may have signed, differing only in the query line: the §7.2 one
 * first (the one reported on a mismatch), then the distinct ali-oss 6.x forms (see
 * `buildAliOssCanonicalQueriesV4`). All of them encode the same parameters, so accepting any one of them
 * accepts nothing the client did not sign.
 */
export function buildCanonicalRequestCandidatesV4(input: CanonicalRequestV4Input): string[] {
  const presigned = input.presigned === true;
  const queries = new Set([
    buildCanonicalQueryV4(input.query, presigned),
    ...buildAliOssCanonicalQueriesV4(selectSignedQueryV4(input.query, presigned)),
  ]);
  return assembleCanonicalRequestsV4(input, [...queries]);
}

/** VERB, URI, query, headers, AdditionalHeaders, payload hash (§7.2), once per canonical query given. */
function assembleCanonicalRequestsV4(input: CanonicalRequestV4Input, queries: readonly string[]): string[] {
  const headers = normalizeHeaders(input.headers);
  const additional = filterPresentAdditionalHeaders(headers, input.additionalHeaders ?? []);
  const hashedPayload = readJoinedHeader(headers, 'x-oss-content-sha256') ?? unsignedPayload;
  const method = input.method.toUpperCase();
  const uri = buildCanonicalUriV4(input.bucket, input.key);
  const tail = [buildCanonicalHeadersV4(headers, additional), additional.join(';'), hashedPayload];
  return queries.map((query) => [method, uri, query, ...tail].join('\n'));
}
