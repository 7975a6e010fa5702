// Object-key rules shared by every operation that names an object (GET/HEAD/DELETE here, PUT/POST/multipart
// elsewhere). OSS: a key is 1–1023 bytes of UTF-8 and must not start with `/` or `\` (InvalidObjectName /
// KeyTooLong, oss-protocol §10.2). Project rule (threats §B10, §C8.67): C0 control characters are refused
// at the door, because XML 1.0 cannot carry them and one such key would make every List response of the
// bucket unparseable (s3s PR #774).
import { OssError } from '@upcall/protocol';

export const maxObjectKeyBytes = 1023;

/** True for U+0000–U+001F, the C0 controls XML 1.0 forbids or that break line-based signing strings. */
function containsC0Control(key: string): boolean {
  for (let i = 0; i < key.length; i += 1) {
    if (key.charCodeAt(i) < 0x20) return true;
  }
  return false;
}

/** True when the string contains an unpaired UTF-16 surrogate (not encodable as UTF-8). */
function containsLoneSurrogate(key: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key);
}

/**
 * Throws OssError InvalidObjectName / KeyTooLong when `key` may not name an object; returns the key
 * unchanged otherwise so callers can write `const key = validateObjectKey(raw)`.
 */
export function validateObjectKey(key: string): string {
  if (key === '' || key.startsWith('/') || key.startsWith('\\')) {
    throw new OssError('InvalidObjectName', { extra: [['ObjectName', key]] });
  }
  if (containsLoneSurrogate(key) || containsC0Control(key)) {
    // The key is not echoed: it would carry the very characters XML cannot hold.
    throw new OssError('InvalidObjectName');
  }
  if (Buffer.byteLength(key, 'utf8') > maxObjectKeyBytes) {
    throw new OssError('KeyTooLong');
  }
  return key;
}
