// Object properties from request headers (PutObject, CopyObject with REPLACE, InitiateMultipartUpload):
// Content-Type (header, else guessed from the key's extension, as OSS does), the stored entity headers,
// user metadata (≤ 8 KB in total, oss-protocol §3.4), object ACL and storage class. Values that become
// response headers later are checked here, before anything is stored, so no GET of the object can fail
// on them (threats §B12).
import type { IncomingHttpHeaders } from 'node:http';
import { lookup } from 'mime-types';
import { OssError } from '@upcall/protocol';
import type { NewObjectMeta } from '../../store/object-store.js';
import { objectHeaderNames as h, storedEntityHeaders } from './object-header-names.js';

/** OSS: the total of user metadata must not exceed 8 KB (§3.4). */
export const maxUserMetaBytes = 8 * 1024;
export const defaultObjectContentType = 'application/octet-stream';

const objectAcls = ['default', 'private', 'public-read', 'public-read-write'];
const storageClasses = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const headerSafe = /^[\t\x20-\x7e]*$/;
const headerToken = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
/** C0 controls other than TAB, and DEL: never valid in a header value (RFC 9110 §5.5). */
function containsControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The first value of a request header (Node joins most repeated headers with ", "). */
export function readHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalidArgument(message: string, argumentName: string, value?: string): OssError {
  const extra: Array<[string, string]> = [['ArgumentName', argumentName]];
  if (value !== undefined) extra.push(['ArgumentValue', value]);
  return new OssError('InvalidArgument', { message, extra });
}

function requireHeaderSafe(value: string, name: string): string {
  if (!headerSafe.test(value)) {
    throw invalidArgument(`The value of ${name} must be printable US-ASCII.`, name);
  }
  return value;
}

/** Header bytes reach us as latin1 code units; metadata is UTF-8 text (what SDKs send, what GET returns). */
function decodeMetaValue(raw: string, name: string): string {
  let text: string;
  try {
    text = utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    throw invalidArgument(`The value of ${name} is not valid UTF-8.`, name);
  }
  if (containsControl(text)) throw invalidArgument(`The value of ${name} has control characters.`, name);
  return text;
}

/** Built with fromEntries: a name such as `__proto__` stays a plain entry (threats §B13). */
export function readUserMeta(headers: IncomingHttpHeaders): Record<string, string> {
  const entries: Array<[string, string]> = [];
  let totalBytes = 0;
  for (const [headerName, raw] of Object.entries(headers)) {
    if (!headerName.startsWith(h.userMetaPrefix) || raw === undefined) continue;
    const name = headerName.slice(h.userMetaPrefix.length);
    if (!headerToken.test(name))
      throw invalidArgument(`Invalid user metadata name: ${headerName}.`, headerName);
    const value = decodeMetaValue(Array.isArray(raw) ? raw.join(', ') : raw, headerName);
    entries.push([name, value]);
    totalBytes += Buffer.byteLength(headerName) + Buffer.byteLength(value);
  }
  if (totalBytes > maxUserMetaBytes) {
    throw invalidArgument(
      `The user metadata (x-oss-meta-*) exceeds ${maxUserMetaBytes} bytes.`,
      'x-oss-meta-*',
    );
  }
  return Object.fromEntries(entries);
}

export function readStoredEntityHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [canonical, wire] of storedEntityHeaders) {
    const value = readHeader(headers, wire);
    if (value !== undefined && value !== '') stored[canonical] = requireHeaderSafe(value, canonical);
  }
  return stored;
}

export function readObjectAcl(headers: IncomingHttpHeaders): string {
  const acl = readHeader(headers, h.objectAcl) ?? 'default';
  if (!objectAcls.includes(acl)) throw invalidArgument(`Invalid object ACL: ${acl}.`, h.objectAcl, acl);
  return acl;
}

/** Storage class names are matched case-insensitively and stored in OSS's spelling. */
export function readStorageClass(headers: IncomingHttpHeaders): string {
  const value = readHeader(headers, h.storageClass);
  if (value === undefined) return 'Standard';
  const found = storageClasses.find((name) => name.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw invalidArgument(`Invalid storage class: ${value}.`, h.storageClass, value);
  return found;
}

/** The Content-Type header, else a guess from the key's extension (OSS PutObject), else octet-stream. */
export function readObjectContentType(headers: IncomingHttpHeaders, key: string): string {
  const declared = readHeader(headers, h.contentType);
  if (declared !== undefined && declared.trim() !== '') return requireHeaderSafe(declared, 'Content-Type');
  const guessed = lookup(key);
  return guessed === false ? defaultObjectContentType : guessed;
}

/** `x-oss-forbid-overwrite: true` (any case) ⇒ an existing key is a 409; any other value means false. */
export function readForbidOverwrite(headers: IncomingHttpHeaders): boolean {
  return readHeader(headers, h.forbidOverwrite)?.trim().toLowerCase() === 'true';
}

/**
 * `x-oss-server-side-encryption`: AES256 is accepted (objects are not encrypted at rest here, see
 * docs/compatibility.md); KMS and SM4 would need a key service ⇒ NotImplemented; anything else is OSS's
 * InvalidEncryptionAlgorithmError (§10.2).
 */
export function checkServerSideEncryption(headers: IncomingHttpHeaders): void {
  const value = readHeader(headers, h.serverSideEncryption);
  if (value === undefined || value === 'AES256') return;
  if (value === 'KMS' || value === 'SM4') {
    throw new OssError('NotImplemented', { message: `Server-side encryption ${value} is not supported.` });
  }
  throw new OssError('InvalidEncryptionAlgorithmError');
}

/** Everything a new object takes from the request headers (checks SSE and Content-Language first). */
export function readObjectMetaHeaders(
  headers: IncomingHttpHeaders,
  address: { readonly bucket: string; readonly key: string },
): NewObjectMeta {
  checkServerSideEncryption(headers);
  if (readHeader(headers, h.contentLanguage) !== undefined) {
    // Not stored by the object stores, so it could not be returned: refuse rather than drop it.
    throw new OssError('NotImplemented', { message: 'Content-Language is not supported.' });
  }
  return {
    bucket: address.bucket,
    key: address.key,
    contentType: readObjectContentType(headers, address.key),
    headers: readStoredEntityHeaders(headers),
    userMeta: readUserMeta(headers),
    acl: readObjectAcl(headers),
    storageClass: readStorageClass(headers),
  };
}
