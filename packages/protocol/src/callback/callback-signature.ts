// Callback request signature (oss-protocol §9.3, VERIFIED against a genuine OSS signature in §9.5):
//   stringToSign  = percent-decode(path) + ("?" + raw query, when the target has a "?") + "\n" + body
//   Authorization = base64(RSA PKCS#1 v1.5 signature, MD5 digest)     x-oss-pub-key-url = base64(key URL)
// Only the path is decoded, to bytes (not to a locale string); the query stays exactly as sent.
import { sign, verify, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeBase64Strict, decodeUtf8Strict } from './strict-base64.js';

/** Longest Authorization we bother decoding: a 16384-bit RSA signature is 2732 base64 characters. */
const maxAuthorizationChars = 4096;
const maxPublicKeyUrlHeaderChars = 4096;

function isHexDigit(char: string | undefined): boolean {
  return char !== undefined && /^[0-9A-Fa-f]$/.test(char);
}

/** Percent-decodes to raw bytes like Python's unquote_to_bytes; a malformed `%` is kept literally. */
function percentDecodeToBytes(text: string): Buffer {
  if (!text.includes('%')) return Buffer.from(text, 'utf8'); // the usual path: nothing to decode
  const pieces: Buffer[] = [];
  let literalStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%' || !isHexDigit(text[i + 1]) || !isHexDigit(text[i + 2])) continue;
    pieces.push(
      Buffer.from(text.slice(literalStart, i), 'utf8'),
      Buffer.of(parseInt(text.slice(i + 1, i + 3), 16)),
    );
    literalStart = i + 3;
    i += 2;
  }
  pieces.push(Buffer.from(text.slice(literalStart), 'utf8'));
  return Buffer.concat(pieces);
}

export interface CallbackStringToSignOptions {
  /** Decode `+` in the path as a space first (PHP urldecode / Ruby CGI.unescape demos, §9.3 gotcha). */
  plusAsSpace?: boolean;
}

/** The exact bytes OSS signs for a callback sent to `requestTarget` (origin-form path + raw query). */
export function buildCallbackStringToSign(
  requestTarget: string,
  body: Uint8Array,
  options: CallbackStringToSignOptions = {},
): Buffer {
  const question = requestTarget.indexOf('?');
  const rawPath = question === -1 ? requestTarget : requestTarget.slice(0, question);
  const path = percentDecodeToBytes(options.plusAsSpace === true ? rawPath.replaceAll('+', ' ') : rawPath);
  const query = question === -1 ? '' : requestTarget.slice(question);
  return Buffer.concat([path, Buffer.from(`${query}\n`, 'utf8'), body]);
}

/** Signs like OSS: RSA PKCS#1 v1.5 with MD5, base64 (the raw `Authorization` value). Async: off the main thread. */
export function signCallback(stringToSign: Uint8Array, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('md5', stringToSign, privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(signature.toString('base64'));
    });
  });
}

export type CallbackSignatureVerdict =
  | { readonly ok: true; readonly variant: 'percent' | 'plus-as-space' }
  | { readonly ok: false; readonly stringToSign: Buffer };

export interface VerifyCallbackSignatureInput {
  /** The request target exactly as received (path + raw query), not a re-serialised URL. */
  readonly requestTarget: string;
  readonly body: Uint8Array;
  /** The raw `Authorization` header (base64, no scheme); undefined when absent. */
  readonly authorization: string | undefined;
  /** RSA public key: a KeyObject or PEM text. */
  readonly publicKey: KeyObject | string;
}

function toRsaPublicKey(key: KeyObject | string): KeyObject | undefined {
  try {
    const keyObject = typeof key === 'string' ? createPublicKey(key) : key;
    return keyObject.asymmetricKeyType === 'rsa' ? keyObject : undefined;
  } catch {
    return undefined;
  }
}

function verifiesWith(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return verify('md5', data, key, signature);
  } catch {
    return false; // wrong-length signatures, odd keys: a verdict, never an exception (threats §C6.53)
  }
}

/**
 * Checks a callback's signature. Tries the percent-decoded path first and, only if the path contains
 * `+`, the `+`→space reading (§9.3). Never throws on hostile input: bad base64, empty or huge
 * signatures and unusable keys all give `{ ok: false }` with the string that should have been signed.
 */
export function verifyCallbackSignature(input: VerifyCallbackSignatureInput): CallbackSignatureVerdict {
  const stringToSign = buildCallbackStringToSign(input.requestTarget, input.body);
  const refused = { ok: false, stringToSign } as const;
  const { authorization } = input;
  if (
    authorization === undefined ||
    authorization.length === 0 ||
    authorization.length > maxAuthorizationChars
  ) {
    return refused;
  }
  const signature = decodeBase64Strict(authorization);
  const key = toRsaPublicKey(input.publicKey);
  if (signature === undefined || key === undefined) return refused;
  if (verifiesWith(stringToSign, signature, key)) return { ok: true, variant: 'percent' };
  const path = input.requestTarget.split('?', 1)[0] ?? '';
  if (path.includes('+')) {
    const plusAsSpace = buildCallbackStringToSign(input.requestTarget, input.body, { plusAsSpace: true });
    if (verifiesWith(plusAsSpace, signature, key)) return { ok: true, variant: 'plus-as-space' };
  }
  return refused;
}

/**
 * Decodes `x-oss-pub-key-url` with strict standard base64 (§9.4: not URL-safe; threats §C6.51: no junk).
 * Returns the URL text to compare against an allow-list — never something to fetch blindly (threats §B3).
 */
export function decodePublicKeyUrlHeader(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0 || value.length > maxPublicKeyUrlHeaderChars)
    return undefined;
  const bytes = decodeBase64Strict(value);
  const text = bytes === undefined ? undefined : decodeUtf8Strict(bytes);
  // Control characters have no place in a URL and would only smuggle something past a log or a comparison.
  return text === undefined || /\p{Cc}/u.test(text) ? undefined : text;
}
