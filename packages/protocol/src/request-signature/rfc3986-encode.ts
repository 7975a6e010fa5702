// Percent-encoding used by the V4 canonical request (oss-protocol §7.2): unreserved characters are
// `A-Z a-z 0-9 - _ . ~`; every other UTF-8 byte becomes `%XX` with upper-case hex, so a space is `%20`
// and `+` is `%2B`. Works on UTF-8 bytes (like the Go SDK's `escapePath`), so a lone surrogate is
// encoded as U+FFFD instead of throwing the way `encodeURIComponent` would.

const unreservedBytes: readonly boolean[] = Array.from(
  { length: 256 },
  (_, byte) =>
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === 0x5f ||
    byte === 0x2e ||
    byte === 0x7e,
);

const slashByte = 0x2f;

function encodeBytes(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (unreservedBytes[byte] === true || (keepSlash && byte === slashByte)) {
      out += String.fromCharCode(byte);
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** Encodes a query name or value: everything but the unreserved set, `/` included. */
export function encodeRfc3986(value: string): string {
  return encodeBytes(value, false);
}

/** Encodes a URI path: like `encodeRfc3986` but `/` is kept (§7.2 CanonicalURI). */
export function encodeRfc3986Path(value: string): string {
  return encodeBytes(value, true);
}
