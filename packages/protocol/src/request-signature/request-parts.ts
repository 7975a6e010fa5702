// The two shapes a request's query and headers arrive in, and the few lookups every signer needs.
// Query values are *decoded* (§6.1 signs decoded values; §7.2 re-encodes them itself). Header names are
// matched case-insensitively because SDKs send `Content-MD5`, `X-OSS-Meta-…` and so on.

/** Decoded query parameters in request order, or a plain record (order irrelevant for signing). */
export type QueryInput = ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;

/** Header values by name (any case); repeated headers as arrays. */
export type HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Lower-case header name → its values in arrival order. */
export type HeaderValues = ReadonlyMap<string, readonly string[]>;

export function normalizeQuery(query: QueryInput | undefined): Array<readonly [string, string]> {
  if (query === undefined) return [];
  if (Array.isArray(query)) return [...(query as ReadonlyArray<readonly [string, string]>)];
  return Object.entries(query as Readonly<Record<string, string>>);
}

export function normalizeHeaders(headers: HeaderInput | undefined): HeaderValues {
  const out = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const values = out.get(lower) ?? [];
    if (typeof value === 'string') values.push(value);
    else values.push(...value);
    out.set(lower, values);
  }
  return out;
}

/**
 * The first value of a header, or undefined when absent. Single-value fields (Content-MD5, Content-Type,
 * Date) are read this way, like the Go SDK's `Header.Get`.
 */
export function readFirstHeader(headers: HeaderValues, lowerName: string): string | undefined {
  return headers.get(lowerName)?.[0];
}

/** All values trimmed and joined with `,` — the canonical form of a signed header (§6.1, §7.2). */
export function readJoinedHeader(headers: HeaderValues, lowerName: string): string | undefined {
  const values = headers.get(lowerName);
  if (values === undefined || values.length === 0) return undefined;
  return values.map((value) => value.trim()).join(',');
}

/** §6.2: "when a parameter is given more than once, the first configured value is used". */
export function readFirstQuery(
  query: ReadonlyArray<readonly [string, string]>,
  name: string,
): string | undefined {
  for (const [candidate, value] of query) {
    if (candidate === name) return value;
  }
  return undefined;
}
