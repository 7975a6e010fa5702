// ObjectMeta ↔ the backend object's own metadata, so an object and everything OSS says about it are one
// backend object, published in one step. Measured on Ceph 16 (docs/scale-out.md "Backend quirks"):
// metadata names come back lower-cased with `_` turned into `-`, and values are trimmed; HTTP cannot
// carry non-Latin-1 at all. So:
// - `x-amz-meta-upcall` holds the gateway's fields as JSON escaped to space-free printable ASCII;
// - each OSS user-meta entry is its own `x-amz-meta-<name>` (other S3 tools see it); a name outside
//   `[a-z0-9-]` (or starting with `upcall`) is stored as `upcall-n-<hex of its UTF-8>`, and a value that
//   would not survive as is becomes RFC 2047 `=?UTF-8?B?…?=` (what S3 itself does for non-ASCII);
// - Content-Type, Cache-Control, Content-Disposition and Content-Encoding are also set natively, for
//   clients that read the backend directly; the JSON stays the source of truth (exact casing, Expires).
import type { ObjectMeta } from './object-store.js';

/** What a PutObject / CopyObject / CreateMultipartUpload carries for one object. */
export interface S3ObjectHeaders {
  readonly ContentType: string;
  readonly CacheControl?: string;
  readonly ContentDisposition?: string;
  readonly ContentEncoding?: string;
  readonly Metadata: Record<string, string>;
}

/** The parts of a backend HEAD/GET answer the decoder reads. */
export interface S3ObjectFacts {
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>> | undefined;
  readonly contentType?: string | undefined;
  readonly etag?: string | undefined;
  readonly lastModified?: Date | undefined;
}

interface GatewayFields {
  readonly v: 1;
  readonly etag: string;
  readonly md5: string;
  readonly crc64: string;
  readonly type: string;
  readonly mtime: number;
  readonly acl: string;
  readonly class: string;
  readonly headers: Record<string, string>;
}

const gatewayName = 'upcall';
const encodedNamePrefix = 'upcall-n-';
const plainName = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const plainValue = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;
const encodedValue = /^=\?UTF-8\?B\?([A-Za-z0-9+/]*={0,2})\?=$/i;
const nativeHeaders = {
  'cache-control': 'CacheControl',
  'content-disposition': 'ContentDisposition',
  'content-encoding': 'ContentEncoding',
} as const;

/** JSON with every character outside printable ASCII, and the space, as a \u escape. */
function encodeAsciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x21-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function encodeMetaName(name: string): string {
  if (plainName.test(name) && !name.startsWith(gatewayName)) return name;
  return `${encodedNamePrefix}${Buffer.from(name, 'utf8').toString('hex')}`;
}

export function encodeMetaValue(value: string): string {
  if (plainValue.test(value) && !value.startsWith('=?')) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function decodeMetaValue(value: string): string {
  const match = encodedValue.exec(value);
  return match === null ? value : Buffer.from(match[1] ?? '', 'base64').toString('utf8');
}

/** The stored user-meta name, or undefined for the gateway's own entries. */
function decodeMetaName(stored: string): string | undefined {
  if (stored.startsWith(encodedNamePrefix)) {
    const hex = stored.slice(encodedNamePrefix.length);
    return /^(?:[0-9a-f]{2})+$/.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : undefined;
  }
  return stored.startsWith(gatewayName) ? undefined : stored;
}

function nativeHeaderFields(headers: Readonly<Record<string, string>>): Partial<S3ObjectHeaders> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const field = nativeHeaders[name.toLowerCase() as keyof typeof nativeHeaders] as string | undefined;
    if (field !== undefined && plainValue.test(value)) fields[field] = value;
  }
  return fields;
}

export function encodeObjectHeaders(meta: Omit<ObjectMeta, 'size'>): S3ObjectHeaders {
  const fields: GatewayFields = {
    v: 1,
    etag: meta.etag,
    md5: meta.contentMd5,
    crc64: meta.crc64,
    type: meta.contentType,
    mtime: meta.lastModifiedMs,
    acl: meta.acl,
    class: meta.storageClass,
    headers: { ...meta.headers },
  };
  const metadata: Record<string, string> = { [gatewayName]: encodeAsciiJson(fields) };
  for (const [name, value] of Object.entries(meta.userMeta)) {
    metadata[encodeMetaName(name)] = encodeMetaValue(value);
  }
  const type = plainValue.test(meta.contentType) ? meta.contentType : 'application/octet-stream';
  return { ContentType: type, ...nativeHeaderFields(meta.headers), Metadata: metadata };
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

function parseGatewayFields(text: string | undefined): GatewayFields | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const fields = value as Partial<GatewayFields> | null;
  if (fields === null || typeof fields !== 'object' || fields.v !== 1) return undefined;
  const strings = [fields.etag, fields.md5, fields.crc64, fields.type, fields.acl, fields.class];
  if (!strings.every((entry) => typeof entry === 'string')) return undefined;
  if (!Number.isSafeInteger(fields.mtime) || !isStringMap(fields.headers)) return undefined;
  return fields as GatewayFields;
}

function decodeUserMeta(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const [stored, value] of Object.entries(metadata)) {
    const name = decodeMetaName(stored.toLowerCase());
    if (name !== undefined) entries.push([name, decodeMetaValue(value)]);
  }
  // fromEntries defines properties, so a name such as `__proto__` stays a plain entry (threats §B13).
  return Object.fromEntries(entries);
}

/**
 * The ObjectMeta of a backend object. One written around the gateway (no `x-amz-meta-upcall`) gets what
 * the backend knows: its ETag upper-cased, no Content-MD5 and no CRC-64 (empty strings).
 */
export function decodeObjectMeta(bucket: string, key: string, facts: S3ObjectFacts): ObjectMeta {
  const metadata = facts.metadata ?? {};
  const userMeta = decodeUserMeta(metadata);
  const fields = parseGatewayFields(metadata[gatewayName]);
  if (fields !== undefined) {
    return {
      bucket,
      key,
      size: facts.size,
      etag: fields.etag,
      contentMd5: fields.md5,
      crc64: fields.crc64,
      contentType: fields.type,
      lastModifiedMs: fields.mtime,
      headers: Object.fromEntries(Object.entries(fields.headers)),
      userMeta,
      acl: fields.acl,
      storageClass: fields.class,
    };
  }
  return {
    bucket,
    key,
    size: facts.size,
    etag: (facts.etag ?? '""').toUpperCase(),
    contentMd5: '',
    crc64: '',
    contentType: facts.contentType ?? 'application/octet-stream',
    lastModifiedMs: facts.lastModified?.getTime() ?? 0,
    headers: {},
    userMeta,
    acl: 'default',
    storageClass: 'Standard',
  };
}
