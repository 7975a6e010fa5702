// Verdicts on object keys and key prefixes a ticket is about to sign. OSS itself accepts almost any key
// (oss-protocol §3.7), but a toolkit that builds keys from request data must not sign keys that escape the
// user's folder on path-mapped backends or break listings and XML (threats §B6, §C2.14, §C2.15).
export const maxObjectKeyBytes = 1023;

export type ObjectKeyVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'InvalidObjectName' | 'KeyTooLong'; readonly message: string };

// C0 controls and DEL; NUL and newlines are the classic policy/XML injection characters (threats §B2).
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks an exact key or a key prefix: non-empty, well-formed UTF-16 (so it encodes to valid UTF-8), at most
 * 1023 UTF-8 bytes (§3.7), no control characters, no leading `/` or `\`, no `..` segment (split on both
 * separators, since Windows-backed stores treat `\` as one).
 */
export function checkObjectKey(key: string, what: 'key' | 'key prefix' = 'key'): ObjectKeyVerdict {
  if (key.length === 0) return invalid(`The ${what} must not be empty.`);
  if (loneSurrogate.test(key)) return invalid(`The ${what} contains a lone surrogate (not valid UTF-8).`);
  if (Buffer.byteLength(key, 'utf8') > maxObjectKeyBytes) {
    return {
      ok: false,
      code: 'KeyTooLong',
      message: `The ${what} is longer than ${maxObjectKeyBytes} bytes.`,
    };
  }
  if (controlChars.test(key)) return invalid(`The ${what} contains a control character.`);
  if (key.startsWith('/') || key.startsWith('\\')) return invalid(`The ${what} must not start with / or \\.`);
  if (key.split(/[/\\]/).includes('..')) return invalid(`The ${what} must not contain a ".." segment.`);
  return { ok: true };
}

function invalid(message: string): ObjectKeyVerdict {
  return { ok: false, code: 'InvalidObjectName', message };
}
