// Base64 decoding that refuses what Buffer.from(…, 'base64') silently forgives (it skips invalid
// characters, accepts URL-safe letters and stops at junk). Standard alphabet only (RFC 4648 §4).

const standardAlphabet = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes standard base64 written the way an encoder writes it: standard alphabet, zero trailing bits,
 * `=` padding (optional only with `requirePadding: false`). Returns undefined for anything else —
 * whitespace, URL-safe `-`/`_`, junk after the data, impossible lengths — so one byte sequence has one
 * accepted spelling.
 */
export function decodeBase64Strict(
  value: string,
  options: { requirePadding?: boolean } = {},
): Buffer | undefined {
  if (!standardAlphabet.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64');
  const canonical = decoded.toString('base64');
  if (canonical === value) return decoded;
  const paddingOptional = options.requirePadding === false;
  return paddingOptional && !value.endsWith('=') && canonical.replace(/=+$/, '') === value
    ? decoded
    : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, or undefined when the bytes are not valid UTF-8. A BOM is kept, not stripped. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
