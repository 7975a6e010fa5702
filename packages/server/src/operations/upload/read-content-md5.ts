// The `Content-MD5` request header (RFC 1864; oss-protocol §11): Base64 of the 16-byte MD5 of the body.
// A value that cannot be an MD5 is InvalidDigest at once; a well-formed one is compared with the MD5 of
// the bytes actually received, before anything is committed.
import type { IncomingHttpHeaders } from 'node:http';
import { OssError } from '@upcall/protocol';
import { objectHeaderNames } from './object-header-names.js';
import { readHeader } from './read-object-meta-headers.js';

// 16 bytes in canonical Base64: 21 full characters, one with 2 meaningful bits, then `==`.
const md5Base64 = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** Undefined when absent; throws InvalidDigest when present but not the Base64 of 16 bytes. */
export function readContentMd5(headers: IncomingHttpHeaders): string | undefined {
  const value = readHeader(headers, objectHeaderNames.contentMd5);
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!md5Base64.test(trimmed)) throw new OssError('InvalidDigest');
  return trimmed;
}
