// Standard Base64 (RFC 4648 §4, `+/` alphabet, `=` padding) without Buffer, so the browser entry can
// use it. Decoding is strict: the policy's Base64 text is what gets signed (oss-protocol §4.1), and
// threats §C1.3 wants URL-safe, unpadded, whitespace-laden or non-canonical text refused rather than
// silently "repaired".

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const sextetOf = new Int8Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) sextetOf[alphabet.charCodeAt(i)] = i;

const utf8Encoder = new TextEncoder();

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    parts.push(
      alphabet.charAt(n >> 18) +
        alphabet.charAt((n >> 12) & 63) +
        (i + 1 < bytes.length ? alphabet.charAt((n >> 6) & 63) : '=') +
        (i + 2 < bytes.length ? alphabet.charAt(n & 63) : '='),
    );
  }
  return parts.join('');
}

/** Base64 of the UTF-8 bytes of `text` (how the `policy` form field is built, §4.1). */
export function encodeBase64Utf8(text: string): string {
  return encodeBase64(utf8Encoder.encode(text));
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (sextetOf[code] ?? -1) : -1;
}

/** Number of `=` at the end (0–2), or -1 when padding is misplaced. */
function paddingLength(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return text.indexOf('=') === text.length - pad || pad === 0 ? pad : -1;
}

/**
 * Decodes canonical standard Base64. Returns undefined for anything else: wrong length, characters
 * outside `A–Z a–z 0–9 + /`, misplaced padding, or non-zero bits in the final padded group.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = paddingLength(text);
  if (pad < 0 || (pad === 0 && text.includes('='))) return undefined;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  const dataChars = text.length - pad;
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < dataChars; i++) {
    const value = sextet(text, i);
    if (value < 0) return undefined;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits (2 with "==", 4 with "=") must be zero for the text to be the canonical encoding.
  return (acc & ((1 << bits) - 1)) === 0 ? out : undefined;
}
