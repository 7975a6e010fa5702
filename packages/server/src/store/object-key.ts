// The store's own guard on keys. The protocol layer rejects what OSS rejects (leading `/` or `\`, control
// characters — threats §C2 item 15) before a key gets here; the store only refuses what it could not
// keep faithfully: an empty key, a key above OSS's 1023-byte limit, and a lone UTF-16 surrogate, which
// has no UTF-8 form and would silently become U+FFFD (a different key) on its way into SQLite.
import { OssError } from '@upcall/protocol';

export const maxKeyBytes = 1023;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws InvalidObjectName (empty / not well-formed) or KeyTooLong (> 1023 UTF-8 bytes). */
export function assertStorableKey(key: string): void {
  if (key.length === 0 || loneSurrogate.test(key)) {
    throw new OssError('InvalidObjectName');
  }
  if (Buffer.byteLength(key, 'utf8') > maxKeyBytes) {
    throw new OssError('KeyTooLong');
  }
}
