// CanonicalizedResource for V1 header and URL signatures (oss-protocol §6.1, §6.2).
import { normalizeQuery, type QueryInput } from './request-parts.js';
import { isV1SubResource } from './v1-sub-resources.js';

export interface CanonicalResourceV1Input {
  bucket?: string | undefined;
  key?: string | undefined;
  /** Decoded query parameters; only sub-resources (whitelist + `x-oss-*`) are signed. */
  query?: QueryInput | undefined;
}

/**
 * `/<bucket>/<key>` with the raw, *un-encoded* key (`key+123` signs as `/bucket/key+123`), `/<bucket>/`
 * without a key, `/` without a bucket; then `?` and the sub-resources sorted by name (byte order), each
 * `name` when its value is empty or `name=value` with the decoded value (§6.1). A parameter given twice
 * contributes its first value only (§6.2 "the first configured value is used"), which is also the value
 * the server acts on, so what is signed and what is used cannot differ.
 */
export function buildCanonicalResourceV1(input: CanonicalResourceV1Input): string {
  let resource = '/';
  if (input.bucket !== undefined && input.bucket !== '') resource += `${input.bucket}/`;
  if (input.key !== undefined) resource += input.key;
  const firstValues = new Map<string, string>();
  for (const [name, value] of normalizeQuery(input.query)) {
    if (isV1SubResource(name) && !firstValues.has(name)) firstValues.set(name, value);
  }
  if (firstValues.size === 0) return resource;
  const items = [...firstValues.keys()].sort(compareByteOrder).map((name) => {
    const value = firstValues.get(name) ?? '';
    return value === '' ? name : `${name}=${value}`;
  });
  return `${resource}?${items.join('&')}`;
}

/** Code-unit order, which equals byte order for the ASCII names SDKs use (Go `sort.Strings`). */
export function compareByteOrder(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
