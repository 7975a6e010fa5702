// The canonical query ali-oss 6.x signs for V4 (lib/common/signUtils.js `getCanonicalRequest`), which is
// not the §7.2 one that the Go and Python SDKs produce. It writes `qs.stringify(queries, { encoder:
// encodeString, sort: localeCompare, strictNullHandling: true })`, so:
//   - names are sorted *decoded*, by locale collation (`a_b, aB, alpha, x_y, x-y, Zeta`), not as encoded
//     bytes (`Zeta, aB, a_b, alpha, x-y, x_y`);
//   - an empty value is written `name` when the value was null (every sub-resource: createRequest turns
//     `subres` entries and `''` sub-resource values into null) but `name=` when it was `''` (the caller's
//     `query`, e.g. `list({ prefix: '' })`, or `signatureUrlV4` queries).
// The wire never says which: ali-oss's URL (url.format / querystring) writes `name=` for null and `''`
// alike. So the raw query would not help. We try the three shapes an ali-oss caller can produce instead.
// Names and values are encoded exactly as §7.2 (encodeString = encodeURIComponent plus `!'()*`).
import { encodeRfc3986 } from './rfc3986-encode.js';
import { isV1SubResource } from './v1-sub-resources.js';

/**
 * ali-oss sorts with `String#localeCompare` in the client's default locale; we fix `en` (the root
 * collation, which is what Node gives under en-US, C or POSIX) so the server's own locale cannot matter.
 */
const aliOssCollator = new Intl.Collator('en');

/** Which empty-valued parameters an ali-oss caller had signed as a bare `name`. */
type BareWhen = (name: string) => boolean;

const emptyValueShapes: readonly BareWhen[] = [
  // ali-oss's own API methods: sub-resources go through `subres` (null ⇒ bare) and only listing
  // parameters through `query` (`''` ⇒ `name=`). Every empty sub-resource ali-oss 6.23 sends (acl,
  // uploads, delete, objectMeta, cors, versions, live, x-oss-process, …) is in the §6.1 list.
  (name) => isV1SubResource(name),
  // `signatureUrlV4(…, { queries: { a: '' } })` and other all-`''` queries.
  () => false,
  // All null (or sub-resources only) but in locale order: mixed-case or `_` names.
  () => true,
];

function renderPairs(pairs: ReadonlyArray<readonly [string, string]>, bareWhen: BareWhen): string {
  return pairs
    .map(([name, value]) => {
      const encodedName = encodeRfc3986(name);
      if (value !== '') return `${encodedName}=${encodeRfc3986(value)}`;
      return bareWhen(name) ? encodedName : `${encodedName}=`;
    })
    .join('&');
}

/**
 * The distinct canonical query strings ali-oss could have signed for these (already selected, decoded)
 * parameters: at most three, one when no value is empty. A repeated name keeps request order (stable
 * sort), as in §7.2; ali-oss itself cannot repeat one.
 */
export function buildAliOssCanonicalQueriesV4(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const sorted = [...pairs].sort((a, b) => aliOssCollator.compare(a[0], b[0]));
  return [...new Set(emptyValueShapes.map((bareWhen) => renderPairs(sorted, bareWhen)))];
}
