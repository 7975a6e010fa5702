// Strict by default (docs/compatibility.md): an `x-oss-*` request header can change what an operation
// means (`x-oss-tagging`, `x-oss-range-behavior`, `x-oss-server-side-data-encryption`, …). Ignoring one
// would store or return something other than what the client asked for, so a header the route does not
// list is 501 NotImplemented, before authentication — like an unimplemented sub-resource.
import type { IncomingHttpHeaders } from 'node:http';
import { OssError } from '@upcall/protocol';

/**
 * Accepted on every route: request signing (§6, §7: x-oss-date, x-oss-content-sha256, STS token), the
 * browser SDK's user agent (§7.4), and headers that only concern billing or throttling, with no effect
 * on the result (x-oss-request-payer; x-oss-traffic-limit, not enforced here).
 */
export const exchangeOssHeaders: ReadonlySet<string> = new Set([
  'x-oss-date',
  'x-oss-content-sha256',
  'x-oss-security-token',
  'x-oss-user-agent',
  'x-oss-request-payer',
  'x-oss-traffic-limit',
]);

function isListed(name: string, listed: readonly string[]): boolean {
  return listed.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
}

/** Throws NotImplemented for the first `x-oss-*` header neither exchange-level nor in `routeHeaders`. */
export function checkOssHeaders(
  headers: IncomingHttpHeaders,
  routeHeaders: readonly string[] | undefined,
): void {
  if (routeHeaders === undefined) return;
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('x-oss-') || exchangeOssHeaders.has(name) || isListed(name, routeHeaders)) continue;
    throw new OssError('NotImplemented', {
      message: `The header ${name} is not supported by this server.`,
      extra: [['Header', name]],
    });
  }
}
