// Classifies an IP address for the callback target policy (threats §B5, §C5.40–41). Pure: no DNS, no I/O.
// It only accepts canonical literals — what `dns.lookup` returns and what the WHATWG URL parser produces
// after normalising `0x7f.1`, `2130706433` or `127.1` to `127.0.0.1` — so the octal/hex tricks that broke
// the `ip` package (CVE-2023-42282, CVE-2024-29415) never reach a second, different parser here. Anything
// that is not a canonical IPv4 or a valid IPv6 literal is 'invalid', and only 'public' may be dialled.
import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  | 'unique-local'
  | 'ipv4-mapped'
  | 'ipv4-embedding'
  | 'invalid';

type Ipv4Range = readonly [base: number, prefixBits: number, cls: AddressClass];

// IANA IPv4 special-purpose registry, the ranges that must never be a callback target.
const ipv4Ranges: readonly Ipv4Range[] = [
  [ipv4(0, 0, 0, 0), 8, 'unspecified'], // "this network"
  [ipv4(10, 0, 0, 0), 8, 'private'],
  [ipv4(100, 64, 0, 0), 10, 'shared'], // CGNAT; Alibaba Cloud metadata is 100.100.100.200
  [ipv4(127, 0, 0, 0), 8, 'loopback'],
  [ipv4(169, 254, 0, 0), 16, 'link-local'], // cloud metadata 169.254.169.254, ECS 169.254.170.2
  [ipv4(172, 16, 0, 0), 12, 'private'],
  [ipv4(192, 0, 0, 0), 24, 'reserved'], // IETF protocol assignments
  [ipv4(192, 0, 2, 0), 24, 'reserved'], // TEST-NET-1
  [ipv4(192, 88, 99, 0), 24, 'reserved'], // 6to4 relay anycast
  [ipv4(192, 168, 0, 0), 16, 'private'],
  [ipv4(198, 18, 0, 0), 15, 'reserved'], // benchmarking
  [ipv4(198, 51, 100, 0), 24, 'reserved'], // TEST-NET-2
  [ipv4(203, 0, 113, 0), 24, 'reserved'], // TEST-NET-3
  [ipv4(224, 0, 0, 0), 4, 'multicast'],
  [ipv4(240, 0, 0, 0), 4, 'reserved'], // incl. 255.255.255.255
];

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function inIpv4Range(address: number, base: number, prefixBits: number): boolean {
  const mask = prefixBits === 0 ? 0 : (0xffffffff << (32 - prefixBits)) >>> 0;
  return (address & mask) >>> 0 === base;
}

/** Dotted-quad decimal without leading zeros only: `127.1` or `0177.0.0.1` are not canonical. */
function parseCanonicalIpv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  const octets = text.split('.');
  if (octets.some((o) => o.length > 1 && o.startsWith('0'))) return undefined;
  const [a, b, c, d] = octets.map(Number);
  return ipv4(a ?? 0, b ?? 0, c ?? 0, d ?? 0);
}

function classifyIpv4Number(address: number): AddressClass {
  for (const [base, prefixBits, cls] of ipv4Ranges) {
    if (inIpv4Range(address, base, prefixBits)) return cls;
  }
  return 'public';
}

/** Expands a valid IPv6 literal (zone id stripped, dotted tail allowed) to eight 16-bit groups. */
function parseIpv6Groups(text: string): number[] {
  let hex = text.split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hex);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    const high = (((a ?? 0) << 8) | (b ?? 0)).toString(16);
    const low = (((c ?? 0) << 8) | (d ?? 0)).toString(16);
    hex = `${hex.slice(0, dotted.index)}${high}:${low}`;
  }
  const [left = '', right] = hex.split('::');
  const groupsOf = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const leftGroups = groupsOf(left);
  const rightGroups = groupsOf(right);
  const zeros = new Array<string>(8 - leftGroups.length - rightGroups.length).fill('0');
  return [...leftGroups, ...(right === undefined ? [] : zeros), ...rightGroups].map((g) => parseInt(g, 16));
}

function classifyIpv6Groups(g: readonly number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = ((g6 << 16) | g7) >>> 0;
  const upper80Zero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upper80Zero && g5 === 0 && g6 === 0)
    return g7 === 0 ? 'unspecified' : g7 === 1 ? 'loopback' : 'reserved';
  if (upper80Zero && g5 === 0xffff) {
    // ::ffff:a.b.c.d — report what it points at; even a public one is refused (threats §B5).
    const inner = classifyIpv4Number(embeddedV4);
    return inner === 'public' ? 'ipv4-mapped' : inner;
  }
  if (upper80Zero && g5 === 0) return 'reserved'; // deprecated IPv4-compatible ::a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b) return 'ipv4-embedding'; // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
  if (g0 === 0x2001 && g1 === 0) return 'ipv4-embedding'; // Teredo 2001::/32
  if (g0 === 0x2002) return 'ipv4-embedding'; // 6to4 2002::/16
  if (g0 === 0x2001 && g1 === 0xdb8) return 'reserved'; // documentation
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7, incl. fd00:ec2::254
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'reserved'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Only 2000::/3 is global unicast; everything else is unassigned or special.
  return (g0 & 0xe000) === 0x2000 ? 'public' : 'reserved';
}

/** The class of one IP address literal; non-canonical or non-IP text is 'invalid'. */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseCanonicalIpv4(address);
  if (v4 !== undefined) return classifyIpv4Number(v4);
  if (!isIPv6(address)) return 'invalid';
  return classifyIpv6Groups(parseIpv6Groups(address));
}

/** True only for addresses a `public-only` server may dial. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}
