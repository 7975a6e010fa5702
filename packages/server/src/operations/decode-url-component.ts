// Percent-decoding of one URL component as the OSS SDKs encode it (oss-protocol §2): UTF-8, `+` stays `+`
// (RFC 3986: SDKs encode `+` as `%2B` and a space as `%20`). Used for request paths and queries
// (http/parse-request-target.ts) and for `x-oss-copy-source` (upload/parse-copy-source.ts).

/** Raw non-ASCII bytes, which Node hands over as latin1 code units, are re-read as UTF-8. */
export function decodeUrlComponent(raw: string): string | undefined {
  const ascii = raw.replace(
    /[\u0080-\u00ff]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  try {
    return decodeURIComponent(ascii);
  } catch {
    return undefined;
  }
}
