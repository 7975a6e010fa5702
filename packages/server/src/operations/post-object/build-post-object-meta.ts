// Object properties from the form (oss-protocol §3.4): stored headers, user metadata (≤ 8 KB, §3.7),
// ACL (form field beats the x-oss-object-acl header, §3.1), storage class, Content-Type (§3.6).
// Values that become response headers later must be header-safe; we refuse them here, before storing,
// rather than fail every GET of the object (Node rejects such header values, threats §B12).
import { OssError } from '@upcall/protocol';
import type { NewObjectMeta } from '../../store/object-store.js';
import { postFormFields as f, postObjectHeaderFields } from './post-form-fields.js';
import { resolvePostContentType } from './resolve-post-content-type.js';

export interface PostObjectMetaInput {
  readonly bucket: string;
  readonly key: string;
  readonly fields: ReadonlyMap<string, string>;
  readonly partContentType: string;
  readonly objectAclHeader: string | undefined;
}

/** OSS: the total of user metadata must not exceed 8 KB (§3.4, D1). */
export const maxUserMetaBytes = 8 * 1024;

const objectAcls = ['default', 'private', 'public-read', 'public-read-write'];
const storageClasses = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const encryptionAlgorithms = ['AES256', 'KMS', 'SM4'];
const headerSafe = /^[\t\x20-\x7e]*$/;
const headerToken = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

function invalidArgument(message: string, argumentName: string): OssError {
  return new OssError('InvalidArgument', { message, extra: [['ArgumentName', argumentName]] });
}

function requireHeaderSafe(value: string, argumentName: string): string {
  if (!headerSafe.test(value)) {
    throw invalidArgument(
      `The value of ${argumentName} must be printable US-ASCII (percent-encode other text).`,
      argumentName,
    );
  }
  return value;
}

function readStoredHeaders(fields: ReadonlyMap<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [headerName, fieldName] of postObjectHeaderFields) {
    const value = fields.get(fieldName);
    if (value !== undefined && value !== '') headers[headerName] = requireHeaderSafe(value, headerName);
  }
  return headers;
}

function readUserMeta(fields: ReadonlyMap<string, string>): Record<string, string> {
  const userMeta: Record<string, string> = {};
  let totalBytes = 0;
  for (const [fieldName, value] of fields) {
    if (!fieldName.startsWith(f.userMetaPrefix)) continue;
    const name = fieldName.slice(f.userMetaPrefix.length);
    if (!headerToken.test(name))
      throw invalidArgument(`Invalid user metadata name: ${fieldName}.`, fieldName);
    userMeta[name] = requireHeaderSafe(value, fieldName);
    totalBytes += Buffer.byteLength(fieldName) + Buffer.byteLength(value);
  }
  if (totalBytes > maxUserMetaBytes) {
    throw invalidArgument(
      `The user metadata (x-oss-meta-*) exceeds ${maxUserMetaBytes} bytes in total.`,
      'x-oss-meta-*',
    );
  }
  return userMeta;
}

function readAcl(fields: ReadonlyMap<string, string>, header: string | undefined): string {
  const acl = fields.get(f.objectAcl) ?? header ?? 'default';
  if (!objectAcls.includes(acl)) throw invalidArgument(`Invalid object ACL: ${acl}.`, 'x-oss-object-acl');
  return acl;
}

function readStorageClass(fields: ReadonlyMap<string, string>): string {
  const value = fields.get(f.storageClass);
  if (value === undefined) return 'Standard';
  const found = storageClasses.find((name) => name.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw invalidArgument(`Invalid storage class: ${value}.`, 'x-oss-storage-class');
  return found;
}

/** Accepted and validated so forms written for OSS work; objects are not encrypted at rest (docs). */
function checkEncryption(fields: ReadonlyMap<string, string>): void {
  const value = fields.get(f.serverSideEncryption);
  if (value !== undefined && !encryptionAlgorithms.includes(value)) {
    throw new OssError('InvalidEncryptionAlgorithmError');
  }
}

export function buildPostObjectMeta(input: PostObjectMetaInput): NewObjectMeta {
  const { fields } = input;
  checkEncryption(fields);
  const contentType = requireHeaderSafe(
    resolvePostContentType(fields, input.partContentType, input.key),
    'Content-Type',
  );
  return {
    bucket: input.bucket,
    key: input.key,
    contentType,
    headers: readStoredHeaders(fields),
    userMeta: readUserMeta(fields),
    acl: readAcl(fields, input.objectAclHeader),
    storageClass: readStorageClass(fields),
  };
}

/** `x-oss-forbid-overwrite: true` ⇒ an existing key is a 409 (§3.4); any other value means false. */
export function readForbidOverwrite(fields: ReadonlyMap<string, string>): boolean {
  return fields.get(f.forbidOverwrite)?.toLowerCase() === 'true';
}
